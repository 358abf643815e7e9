package legacy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// jsonValue is a parsed JSON value that remembers the byte offset where it
// starts, so that a finding about a funnel step or a target points at it.
type jsonValue struct {
	off     int
	kind    byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	str     string
	num     float64
	boolean bool
	members []jsonMember // objects, in file order
	items   []*jsonValue // arrays
}

type jsonMember struct {
	name string
	off  int // offset of the key
	val  *jsonValue
}

// get returns the last member called name (Python's json keeps the last
// of duplicate keys), or nil.
func (v *jsonValue) get(name string) *jsonValue {
	if v == nil || v.kind != 'o' {
		return nil
	}
	var out *jsonValue
	for _, m := range v.members {
		if m.name == name {
			out = m.val
		}
	}
	return out
}

// truthy is Python's bool() of the value.
func (v *jsonValue) truthy() bool {
	switch v.kind {
	case 'b':
		return v.boolean
	case 'n':
		return v.num != 0
	case 's':
		return v.str != ""
	case 'o':
		return len(v.members) > 0
	case 'a':
		return len(v.items) > 0
	}
	return false
}

// float is Python's float() of the value: numbers, numeric strings and
// booleans.
func (v *jsonValue) float() (float64, bool) {
	switch v.kind {
	case 'n':
		return v.num, true
	case 's':
		f, err := pyFloat(strings.TrimSpace(v.str))
		return f, err == nil
	case 'b':
		if v.boolean {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// int is Python's int() of the value: numbers are truncated, strings must
// be whole numbers.
func (v *jsonValue) int() (int64, bool) {
	switch v.kind {
	case 'n':
		if math.Abs(v.num) > 1<<53 {
			return 0, false
		}
		return int64(v.num), true
	case 's':
		i, err := pyInt(strings.TrimSpace(v.str))
		return i, err == nil
	case 'b':
		if v.boolean {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// describe names the value's type for messages.
func (v *jsonValue) describe() string {
	switch v.kind {
	case 'o':
		return "an object"
	case 'a':
		return "an array"
	case 's':
		return strconv.Quote(clipRunes(v.str, 30))
	case 'n':
		return fmtNum(v.num)
	case 'b':
		return strconv.FormatBool(v.boolean)
	}
	return "null"
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// jsonError is a syntax error at a byte offset.
type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string { return e.msg }

// maxJSONDepth bounds nesting: legacy files are two or three levels deep,
// and a bound keeps "[[[[..." from eating the stack.
const maxJSONDepth = 64

// parseJSON parses one JSON document, keeping offsets.
func parseJSON(data []byte) (*jsonValue, error) {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &jsonError{off: p.next(), msg: "unexpected data after the JSON value"}
	}
	return v, nil
}

type jsonParser struct {
	data []byte
	dec  *json.Decoder
}

// next is the offset of the next token: past the whitespace, commas and
// colons the decoder has not consumed yet.
func (p *jsonParser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return off
}

func (p *jsonParser) token() (json.Token, int, error) {
	off := p.next()
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			// The offset of a SyntaxError is relative to the value the
			// decoder was reading in some paths: point at the token.
			return nil, off, &jsonError{off: off, msg: "invalid JSON: " + se.Error()}
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, off, &jsonError{off: len(p.data), msg: "invalid JSON: unexpected end of input"}
		}
		return nil, off, &jsonError{off: off, msg: "invalid JSON: " + err.Error()}
	}
	return tok, off, nil
}

func (p *jsonParser) value(depth int) (*jsonValue, error) {
	tok, off, err := p.token()
	if err != nil {
		return nil, err
	}
	if depth > maxJSONDepth {
		return nil, &jsonError{off: off, msg: fmt.Sprintf("JSON nested deeper than %d levels", maxJSONDepth)}
	}
	v := &jsonValue{off: off}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v.kind = 'o'
			for p.dec.More() {
				ktok, koff, err := p.token()
				if err != nil {
					return nil, err
				}
				name, _ := ktok.(string)
				val, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.members = append(v.members, jsonMember{name: name, off: koff, val: val})
			}
		case '[':
			v.kind = 'a'
			for p.dec.More() {
				it, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, it)
			}
		default:
			return nil, &jsonError{off: off, msg: fmt.Sprintf("invalid JSON: unexpected %q", rune(t))}
		}
		if _, _, err := p.token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		v.kind, v.str = 's', t
	case json.Number:
		f, err := t.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, &jsonError{off: off, msg: "number out of range: " + clipRunes(t.String(), 30)}
		}
		v.kind, v.num = 'n', f
	case bool:
		v.kind, v.boolean = 'b', t
	case nil:
		v.kind = 'z'
	}
	return v, nil
}

// offsetLineCol turns a byte offset into a 1-based line and byte column.
func offsetLineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}
