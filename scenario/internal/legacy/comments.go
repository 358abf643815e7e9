package legacy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// comments are what the emitter writes beside the fields: the header
// after the modeline, notes above a field (what changed and why) and a
// short trailing comment naming the legacy variable a value came from.
// Fields are named by JSON pointer, e.g. /traffic/features/geo.
type comments struct {
	header   []string
	above    map[string][]string
	trailing map[string]string
}

func newComments() *comments {
	return &comments{above: map[string][]string{}, trailing: map[string]string{}}
}

// note adds a note above the field at path, as a sentence; the same text
// is kept once.
func (c *comments) note(path, text string) {
	text = sentence(text)
	for _, t := range c.above[path] {
		if t == text {
			return
		}
	}
	c.above[path] = append(c.above[path], text)
}

// forget drops the comments of path and of the fields below it, for an
// item that is left out after all.
func (c *comments) forget(path string) {
	for k := range c.above {
		if k == path || strings.HasPrefix(k, path+"/") {
			delete(c.above, k)
		}
	}
	for k := range c.trailing {
		if k == path || strings.HasPrefix(k, path+"/") {
			delete(c.trailing, k)
		}
	}
}

// from sets the trailing comment of the field at path.
func (c *comments) from(path, text string) { c.trailing[path] = text }

// sentence starts text with a capital and ends it with a full stop, so
// that a diagnostic's message reads as a note.
func sentence(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return text
	}
	r, n := utf8.DecodeRuneInString(text)
	text = string(unicode.ToUpper(r)) + text[n:]
	if !strings.HasSuffix(text, ".") && !strings.HasSuffix(text, ")") {
		text += "."
	}
	return text
}

// commentWidth is where notes wrap, counting the indentation.
const commentWidth = 100

// commentText makes text safe inside a YAML comment: one line, printable
// characters only (a path or a value may hold anything).
func commentText(text string) string {
	clean := strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) || r == '\uFEFF' {
			return ' '
		}
		return r
	}, text)
	return strings.Join(strings.Fields(clean), " ")
}

// wrap breaks text into comment lines of at most width columns after
// prefix; the first line starts with first, the others with rest.
func wrap(text, first, rest string, width int) []string {
	words := strings.Fields(commentText(text))
	var out []string
	line := first
	empty := true // nothing after the prefix yet
	for _, w := range words {
		if !empty && len(line)+1+len(w) > width {
			out = append(out, line)
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	if !empty || len(out) == 0 {
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}
