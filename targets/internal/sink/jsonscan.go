package sink

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON primitives of the bulk scanner (bulk.go): strict JSON grammar,
// strings decoded only when they hold escapes, nesting bounded.

// maxDepth bounds nesting so that a hostile body cannot exhaust the stack.
const maxDepth = 64

// scanner reads JSON text s from position i.
type scanner struct {
	s string
	i int
}

// scalar reads a string, number or literal; isStr tells strings apart.
// Arrays and objects are skipped and read as "".
func (sc *scanner) scalar(depth int) (val string, isStr bool, err error) {
	switch c := sc.peek(); {
	case c == '"':
		s, err := sc.str()
		return s, true, err
	case c == '-' || '0' <= c && c <= '9':
		start := sc.i
		err := sc.num()
		return sc.s[start:sc.i], false, err
	case c == 't':
		return "1", false, sc.lit("true")
	case c == 'f':
		return "0", false, sc.lit("false")
	case c == 'n':
		return "", false, sc.lit("null")
	}
	return "", false, sc.skip(depth)
}

// skip validates and passes over one value.
func (sc *scanner) skip(depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	switch c := sc.peek(); {
	case c == '"':
		_, err := sc.str()
		return err
	case c == '{':
		sc.i++
		return sc.members(func(string) error { return sc.skip(depth + 1) })
	case c == '[':
		sc.i++
		return sc.elements(func() error { return sc.skip(depth + 1) })
	case c == '-' || '0' <= c && c <= '9':
		return sc.num()
	case c == 't':
		return sc.lit("true")
	case c == 'f':
		return sc.lit("false")
	case c == 'n':
		return sc.lit("null")
	}
	return errBadJSON
}

// elements reads the rest of an array whose '[' is read: each element
// with elem, commas between, up to the ']'.
func (sc *scanner) elements(elem func() error) error {
	sc.ws()
	if sc.eat(']') {
		return nil
	}
	for {
		sc.ws()
		if err := elem(); err != nil {
			return err
		}
		sc.ws()
		if sc.eat(',') {
			continue
		}
		if sc.eat(']') {
			return nil
		}
		return errBadJSON
	}
}

// members reads the rest of an object whose '{' is read: each key and
// its colon, then the value with member, commas between, up to the '}'.
func (sc *scanner) members(member func(key string) error) error {
	sc.ws()
	if sc.eat('}') {
		return nil
	}
	for {
		sc.ws()
		key, err := sc.str()
		if err != nil {
			return err
		}
		sc.ws()
		if !sc.eat(':') {
			return errBadJSON
		}
		sc.ws()
		if err := member(key); err != nil {
			return err
		}
		sc.ws()
		if sc.eat(',') {
			continue
		}
		if sc.eat('}') {
			return nil
		}
		return errBadJSON
	}
}

func (sc *scanner) peek() byte {
	if sc.i < len(sc.s) {
		return sc.s[sc.i]
	}
	return 0
}

func (sc *scanner) eat(c byte) bool {
	if sc.i < len(sc.s) && sc.s[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

func (sc *scanner) ws() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

func (sc *scanner) lit(word string) error {
	if !strings.HasPrefix(sc.s[sc.i:], word) {
		return errBadJSON
	}
	sc.i += len(word)
	return nil
}

// num passes over a number in the JSON grammar.
func (sc *scanner) num() error {
	sc.eat('-')
	switch {
	case sc.eat('0'):
	case sc.digits() == 0:
		return errBadJSON
	}
	if sc.eat('.') && sc.digits() == 0 {
		return errBadJSON
	}
	if sc.eat('e') || sc.eat('E') {
		if !sc.eat('+') {
			sc.eat('-')
		}
		if sc.digits() == 0 {
			return errBadJSON
		}
	}
	return nil
}

func (sc *scanner) digits() int {
	n := 0
	for sc.i < len(sc.s) && '0' <= sc.s[sc.i] && sc.s[sc.i] <= '9' {
		sc.i++
		n++
	}
	return n
}

// str reads a string. Without escapes it is a substring of the body; with
// escapes it is decoded once into a new string.
func (sc *scanner) str() (string, error) {
	if !sc.eat('"') {
		return "", errBadJSON
	}
	start := sc.i
	for i := start; i < len(sc.s); i++ {
		switch c := sc.s[i]; {
		case c == '"':
			sc.i = i + 1
			return sc.s[start:i], nil
		case c == '\\':
			return sc.strEscaped(start)
		case c < 0x20:
			return "", errBadJSON
		}
	}
	return "", errBadJSON
}

func (sc *scanner) strEscaped(start int) (string, error) {
	buf := make([]byte, 0, 64)
	for i := start; i < len(sc.s); {
		c := sc.s[i]
		switch {
		case c == '"':
			sc.i = i + 1
			return string(buf), nil
		case c < 0x20:
			return "", errBadJSON
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(sc.s) {
			return "", errBadJSON
		}
		switch sc.s[i+1] {
		case '"', '\\', '/':
			buf = append(buf, sc.s[i+1])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n, ok := sc.unicodeEscape(i)
			if !ok {
				return "", errBadJSON
			}
			buf = utf8.AppendRune(buf, r)
			i += n
			continue
		default:
			return "", errBadJSON
		}
		i += 2
	}
	return "", errBadJSON
}

// unicodeEscape reads \uXXXX at i, joining a surrogate pair; a lone
// surrogate becomes U+FFFD, as encoding/json does.
func (sc *scanner) unicodeEscape(i int) (r rune, n int, ok bool) {
	r1, ok := hex4(sc.s, i+2)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r1) {
		return r1, 6, true
	}
	if i+12 <= len(sc.s) && sc.s[i+6] == '\\' && sc.s[i+7] == 'u' {
		if r2, ok := hex4(sc.s, i+8); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, 12, true
			}
		}
	}
	return utf8.RuneError, 6, true
}

func hex4(s string, at int) (rune, bool) {
	if at+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[at : at+4]) {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}
