package policy

import "fmt"

// Limits on the text of a `when:` expression. expr's parser, type checker
// and compiler, and the analyses here, all recurse over the expression:
// a deeply nested one (a million brackets) overflows the stack and kills
// the process. checkLimits scans the text without recursion, so it runs
// before anything recursive does. A policy is a short condition; these
// bounds are far above any real one.
const (
	// MaxLength is the longest expression accepted, in characters.
	MaxLength = 2000
	// MaxDepth is the deepest nesting of brackets ( [ { accepted.
	MaxDepth = 32
)

// checkLimits returns an error at the first character past MaxLength, or
// at the bracket that opens level MaxDepth+1. Brackets inside string
// literals and comments do not count.
func checkLimits(when string) *Error {
	runes := []rune(when)
	if len(runes) > MaxLength {
		line, col := lineCol(runes, MaxLength)
		return &Error{Line: line, Column: col,
			Message: fmt.Sprintf("expression is longer than %d characters (it has %d): split it into several policies", MaxLength, len(runes))}
	}
	depth := 0
	for i := 0; i < len(runes); i++ {
		switch r := runes[i]; r {
		case '"', '\'', '`':
			i = skipString(runes, i)
		case '/':
			i = skipComment(runes, i)
		case '(', '[', '{':
			depth++
			if depth > MaxDepth {
				line, col := lineCol(runes, i)
				return &Error{Line: line, Column: col,
					Message: fmt.Sprintf("expression nests deeper than %d levels of brackets", MaxDepth)}
			}
		case ')', ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return nil
}

// skipString returns the index of the quote that closes the string
// literal opening at i (or the last index when it is not closed).
// Backquoted strings have no escapes.
func skipString(runes []rune, i int) int {
	quote := runes[i]
	for j := i + 1; j < len(runes); j++ {
		switch runes[j] {
		case '\\':
			if quote != '`' {
				j++
			}
		case quote:
			return j
		}
	}
	return len(runes) - 1
}

// skipComment returns the last index of a // or /* */ comment starting at
// i, or i when the slash is a division.
func skipComment(runes []rune, i int) int {
	if i+1 >= len(runes) {
		return i
	}
	switch runes[i+1] {
	case '/':
		for j := i + 2; j < len(runes); j++ {
			if runes[j] == '\n' {
				return j
			}
		}
		return len(runes) - 1
	case '*':
		for j := i + 2; j+1 < len(runes); j++ {
			if runes[j] == '*' && runes[j+1] == '/' {
				return j + 1
			}
		}
		return len(runes) - 1
	}
	return i
}

// lineCol turns a 0-based character offset into a 1-based line and
// column of the expression text.
func lineCol(runes []rune, off int) (line, col int) {
	line, col = 1, 1
	for _, r := range runes[:min(off, len(runes))] {
		if r == '\n' {
			line, col = line+1, 1
			continue
		}
		col++
	}
	return line, col
}
