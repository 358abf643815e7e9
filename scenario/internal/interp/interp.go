// Package interp is Trafficinator's one ${VAR} grammar, used for the
// string values of a scenario (scenario's interpolation) and for the
// values of .env files (--env-file and legacy .env files, via dotenv).
//
// The grammar, in the manner of docker compose:
//
//	$$                 a literal $
//	${NAME}            the value of NAME
//	${NAME:-default}   default when NAME is unset or empty
//	${NAME-default}    default when NAME is unset
//	${NAME:?message}   an error with message when NAME is unset or empty
//	${NAME?message}    an error with message when NAME is unset
//	$NAME              the value of NAME, in .env files only (Options.Bare)
//
// NAME is letters, digits and _, not starting with a digit. A default or
// message is itself a template, so references nest: ${A:-${B:-x}} is A
// when set, else B when set, else x. A default is expanded only when it is
// used, so an unset variable inside an unused default is no error (a
// syntax error is, wherever it is). A $ before anything else is literal.
//
// Expansion reads the text once, left to right, and stops at the first
// error (Options.Lenient instead expands a broken reference to "", or
// keeps an unterminated one as written, as .env files always have).
package interp

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxDepth bounds how deeply references nest, so that hostile text cannot
// exhaust the stack.
const MaxDepth = 16

// Options choose the dialect and where values come from.
type Options struct {
	// Lookup resolves a name; ok is false when it is unset. Nil means
	// every variable is unset.
	Lookup func(name string) (value string, ok bool)
	// Bare also expands $NAME without braces (.env files).
	Bare bool
	// Lenient never fails: an unset or broken reference expands to "",
	// an unterminated one is kept as written (.env files).
	Lenient bool
	// MaxLen caps the length of the result (at a UTF-8 boundary); 0 means
	// no cap.
	MaxLen int
	// Defer, when set, is asked about each unset variable that has no
	// default (${NAME}, ${NAME:?message}), with the offset of its $ and
	// the expanded message ("" for ${NAME}). When
	// it returns ok the reference expands to placeholder and expansion
	// goes on, instead of failing: validate and plan check a scenario
	// whose secrets only apply will have.
	Defer func(name, message string, offset int) (placeholder string, ok bool)
}

// Error is the first problem of a text, at the byte offset of the $ that
// starts the reference.
type Error struct {
	Offset  int
	Message string
	Hint    string
}

func (e *Error) Error() string { return e.Message }

// Result is the outcome of Expand.
type Result struct {
	// Value is the expanded text; the input itself when Err is set.
	Value string
	// Changed reports whether the text held a reference or $$.
	Changed bool
	// Secrets are the non-empty values the result took from Lookup:
	// they may hold tokens or private hosts, and are never printed.
	Secrets []string
	// Unset names, in order, the variables that were not set where the
	// text had no default for them (each such reference expanded to ""
	// in the lenient dialect, or was the error in the strict one).
	Unset []string
	// Err is the first error; always nil when Lenient.
	Err *Error
}

// Expand expands s.
func Expand(s string, opts Options) Result {
	if !strings.Contains(s, "$") {
		return Result{Value: s}
	}
	x := &expander{s: s, opts: opts}
	var b strings.Builder
	x.template(0, false, true, &b)
	if x.err != nil {
		return Result{Value: s, Err: x.err}
	}
	return Result{Value: b.String(), Changed: x.changed, Secrets: x.secrets, Unset: x.unset}
}

type expander struct {
	s       string
	opts    Options
	depth   int
	changed bool
	secrets []string
	unset   []string
	err     *Error
}

// fail records the first error; it reports whether expansion stops.
func (x *expander) fail(off int, hint, format string, a ...any) bool {
	if x.opts.Lenient {
		return false
	}
	if x.err == nil {
		x.err = &Error{Offset: off, Message: fmt.Sprintf(format, a...), Hint: hint}
	}
	return true
}

// write appends v to b when eval is set, within MaxLen.
func (x *expander) write(b *strings.Builder, v string, eval bool) {
	if !eval {
		return
	}
	if limit := x.opts.MaxLen; limit > 0 {
		room := limit - b.Len()
		if len(v) > room {
			room = max(room, 0)
			for room > 0 && !utf8.RuneStart(v[room]) {
				room--
			}
			v = v[:room]
		}
	}
	b.WriteString(v)
}

// lookup resolves name; nil Lookup means every name is unset.
func (x *expander) lookup(name string) (string, bool) {
	if x.opts.Lookup == nil {
		return "", false
	}
	return x.opts.Lookup(name)
}

// template reads text from i up to the end, or, when nested, up to the
// '}' that closes the enclosing reference (not consumed). With eval unset
// it only checks the syntax (an unused default). It returns where it
// stopped; x.err is set when it stopped at an error.
func (x *expander) template(i int, nested, eval bool, b *strings.Builder) int {
	s := x.s
	for i < len(s) {
		c := s[i]
		if nested && c == '}' {
			return i
		}
		if c != '$' || i+1 >= len(s) {
			next := i + 1
			for next < len(s) && s[next] != '$' && !(nested && s[next] == '}') {
				next++
			}
			x.write(b, s[i:next], eval)
			i = next
			continue
		}
		switch n := s[i+1]; {
		case n == '$':
			x.write(b, "$", eval)
			x.changed = true
			i += 2
		case n == '{':
			x.changed = true
			i = x.ref(i, eval, b)
			if x.err != nil {
				return i
			}
		case x.opts.Bare && nameStart(n):
			j := i + 2
			for j < len(s) && nameChar(s[j]) {
				j++
			}
			v, ok := x.lookup(s[i+1 : j])
			if eval && !ok {
				x.unset = append(x.unset, s[i+1:j])
			}
			x.write(b, v, eval)
			x.changed = true
			i = j
		default:
			x.write(b, "$", eval)
			i++
		}
	}
	return i
}

// ref reads the reference that starts at s[i] == '$', s[i+1] == '{', and
// returns the index after its closing '}'.
func (x *expander) ref(start int, eval bool, b *strings.Builder) int {
	s := x.s
	close := strings.IndexByte(s[start+2:], '}')
	if close < 0 {
		if x.fail(start, "write ${NAME}, or $$ for a literal $", "unterminated variable reference: missing '}'") {
			return len(s)
		}
		x.write(b, s[start:], eval) // lenient: kept as written
		return len(s)
	}
	if x.depth >= MaxDepth {
		if x.fail(start, "", "variable references are nested more than %d deep", MaxDepth) {
			return len(s)
		}
		x.write(b, s[start:], eval)
		return len(s)
	}
	x.depth++
	defer func() { x.depth-- }()

	// NAME, then an operator or the closing brace.
	j := start + 2
	for j < len(s) && !strings.ContainsRune(":-?}", rune(s[j])) {
		j++
	}
	name, op, bad := s[start+2:j], "", false
	rest := s[j:]
	switch {
	case strings.HasPrefix(rest, "}"):
	case strings.HasPrefix(rest, ":-"), strings.HasPrefix(rest, ":?"):
		op = rest[:2]
	case strings.HasPrefix(rest, "-"), strings.HasPrefix(rest, "?"):
		op = rest[:1]
	case strings.HasPrefix(rest, ":"):
		if x.fail(start, "use ${NAME}, ${NAME:-default} or ${NAME:?message}", "invalid variable reference ${%s}", s[start+2:start+2+close]) {
			return len(s)
		}
		bad, op = true, ":" // lenient: skip what follows, up to the brace
	}
	j += len(op)
	if !bad && !validName(name) {
		if x.fail(start, "names are letters, digits and _, not starting with a digit", "invalid variable name %q", name) {
			return len(s)
		}
		bad = true
	}

	val, set := "", false
	if eval && !bad {
		val, set = x.lookup(name)
	}
	empty := !set || (val == "" && strings.HasPrefix(op, ":"))
	useArg := eval && !bad && empty
	var arg strings.Builder
	end := j
	if op != "" {
		end = x.template(j, true, useArg, &arg)
		if x.err != nil {
			return end
		}
	}
	if end >= len(s) || s[end] != '}' {
		// The brace was taken by a nested reference.
		if x.fail(start, "write ${NAME}, or $$ for a literal $", "unterminated variable reference: missing '}'") {
			return len(s)
		}
		x.write(b, s[start:], eval)
		return len(s)
	}
	end++
	switch {
	case !eval || bad:
	case !empty:
		if val != "" {
			x.secrets = append(x.secrets, val)
		}
		x.write(b, val, true)
	case op == ":-" || op == "-":
		x.write(b, arg.String(), true)
	case op == ":?" || op == "?":
		if !set {
			x.unset = append(x.unset, name)
			if v, ok := x.deferred(name, arg.String(), start); ok {
				x.write(b, v, true)
				return end
			}
		}
		msg := arg.String()
		if msg == "" {
			msg = "required"
		}
		if x.fail(start, "", "variable %s is not set: %s", name, msg) {
			return end
		}
	default:
		if !set {
			x.unset = append(x.unset, name)
			if v, ok := x.deferred(name, "", start); ok {
				x.write(b, v, true)
				return end
			}
		}
		if x.fail(start, fmt.Sprintf("export %s, pass --env-file, or give a default: ${%s:-value}", name, name), "variable %s is not set", name) {
			return end
		}
	}
	return end
}

// deferred asks Options.Defer about an unset variable.
func (x *expander) deferred(name, msg string, off int) (string, bool) {
	if x.opts.Defer == nil {
		return "", false
	}
	return x.opts.Defer(name, msg, off)
}

func nameStart(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

func nameChar(c byte) bool { return nameStart(c) || c >= '0' && c <= '9' }

// validName reports whether s is a variable name.
func validName(s string) bool {
	if s == "" || !nameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !nameChar(s[i]) {
			return false
		}
	}
	return true
}
