package interp

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// TestNestedDefaults: ${A:-${B:-x}} is A when set, else B when set, else
// x, in both dialects.
func TestNestedDefaults(t *testing.T) {
	const text = "${A:-${B:-x}}"
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"A": "a", "B": "b"}, "a"},
		{map[string]string{"B": "b"}, "b"},
		{map[string]string{"A": "", "B": "b"}, "b"}, // :- also covers empty
		{nil, "x"},
	} {
		for _, opts := range []Options{{Lookup: env(c.env)}, {Lookup: env(c.env), Bare: true, Lenient: true}} {
			r := Expand(text, opts)
			if r.Err != nil || r.Value != c.want || !r.Changed {
				t.Errorf("%v (lenient %t): %+v, want %q", c.env, opts.Lenient, r, c.want)
			}
		}
	}
}

func TestExpandStrict(t *testing.T) {
	e := env(map[string]string{"SET": "value", "EMPTY": "", "B": "bee"})
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"${SET}", "value"},
		{"a${SET}b${SET}", "avaluebvalue"},
		{"${UNSET:-d}", "d"},
		{"${EMPTY:-d}", "d"},
		{"${EMPTY-d}", ""},
		{"${UNSET-${B}}", "bee"},
		{"${UNSET:-pre-${B}-post}", "pre-bee-post"},
		{"${SET:-${UNSET}}", "value"}, // an unused default may name an unset variable
		{"${SET:?${UNSET}}", "value"},
		{"${UNSET:-$$}", "$"},
		{"$$", "$"},
		{"$${SET}", "${SET}"},
		{"$SET", "$SET"}, // bare names only in .env files
		{"a$", "a$"},
		{"${A-B-C}", "B-C"},
		{"${UNSET:-a}}", "a}"}, // a stray brace after a reference is text
		{"${UNSET:-${UNSET2:-${B}}}", "bee"},
	} {
		r := Expand(c.in, Options{Lookup: e})
		if r.Err != nil || r.Value != c.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", c.in, r.Value, r.Err, c.want)
		}
	}
}

func TestExpandErrorsAtTheirDollar(t *testing.T) {
	e := env(map[string]string{"SET": "value"})
	for _, c := range []struct {
		in   string
		off  int
		msg  string
		hint string
	}{
		{"${UNSET}", 0, "variable UNSET is not set", "export UNSET, pass --env-file, or give a default: ${UNSET:-value}"},
		{"ab ${UNSET:-${ALSO}}", 12, "variable ALSO is not set", "export ALSO"},
		{"${UNSET:-${ALSO:?say ${SET}}}", 9, "variable ALSO is not set: say value", ""},
		{"${UNSET?}", 0, "variable UNSET is not set: required", ""},
		{"x ${OPEN", 2, "unterminated variable reference: missing '}'", "$$ for a literal $"},
		{"${SET:-${B}", 0, "unterminated variable reference: missing '}'", ""}, // the brace closes ${B}
		{"${SET:-${}}", 7, `invalid variable name ""`, "names are letters"},    // a syntax error counts even in an unused default
		{"${9LIVES}", 0, `invalid variable name "9LIVES"`, ""},
		{"${A:x}", 0, "invalid variable reference ${A:x}", "${NAME:?message}"},
		{"${A B}", 0, `invalid variable name "A B"`, ""},
		{"${UNSET} ${", 0, "variable UNSET is not set", ""}, // the first problem, left to right
		{strings.Repeat("${A:-", MaxDepth+1) + strings.Repeat("}", MaxDepth+1), 5 * MaxDepth, "variable references are nested more than 16 deep", ""},
	} {
		r := Expand(c.in, Options{Lookup: e})
		if r.Err == nil || r.Err.Offset != c.off || r.Err.Message != c.msg || !strings.Contains(r.Err.Hint, c.hint) {
			t.Errorf("Expand(%q): err %+v, want offset %d %q (hint %q)", c.in, r.Err, c.off, c.msg, c.hint)
			continue
		}
		if r.Value != c.in || r.Changed || r.Secrets != nil {
			t.Errorf("Expand(%q) failed but returned %+v", c.in, r)
		}
	}
	// MaxDepth levels are fine.
	deep := strings.Repeat("${A:-", MaxDepth) + "x" + strings.Repeat("}", MaxDepth)
	if r := Expand(deep, Options{}); r.Err != nil || r.Value != "x" {
		t.Errorf("%d levels: %+v", MaxDepth, r)
	}
}

// TestSecretsAreTheUsedValues: only non-empty values from Lookup that make
// the result are secrets; defaults written in the text are not.
func TestSecretsAreTheUsedValues(t *testing.T) {
	e := env(map[string]string{"TOKEN": "s3cret", "OTHER": "o", "EMPTY": ""})
	r := Expand("${TOKEN}/${UNSET:-lit}/${EMPTY-}/${TOKEN:-${OTHER}}/${UNSET:-${OTHER}}", Options{Lookup: e})
	if r.Err != nil || r.Value != "s3cret/lit//s3cret/o" {
		t.Fatalf("%+v", r)
	}
	if !slices.Equal(r.Secrets, []string{"s3cret", "s3cret", "o"}) {
		t.Errorf("secrets %q", r.Secrets)
	}
}

func TestLenient(t *testing.T) {
	e := env(map[string]string{"A": "x"})
	for in, want := range map[string]string{
		"$A-$A":       "x-x",
		"$A_$A":       "x", // $A_ is a name of its own, unset
		"$1":          "$1",
		"${A":         "${A",
		"${A:-${B}":   "${A:-${B}",
		"${}":         "",
		"${A:x}y":     "y",
		"${A B}y":     "y",
		"${B}${B:?m}": "",
		"$$A":         "$A",
	} {
		r := Expand(in, Options{Lookup: e, Bare: true, Lenient: true})
		if r.Err != nil || r.Value != want {
			t.Errorf("Expand(%q) = %q, %v; want %q", in, r.Value, r.Err, want)
		}
	}
}

func TestMaxLenCutsAtARuneBoundary(t *testing.T) {
	e := env(map[string]string{"A": strings.Repeat("é", 10)})
	r := Expand("${A}${A}", Options{Lookup: e, MaxLen: 25})
	if len(r.Value) != 24 || !utf8.ValidString(r.Value) {
		t.Errorf("%d bytes %q", len(r.Value), r.Value)
	}
}

// FuzzExpand: no input panics; an error is at a $ of the input and leaves
// it unchanged; lenient expansion never fails and keeps to MaxLen (text
// without a $ is returned as it is, uncut).
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"", "plain", "$", "$$", "${A}", "${A:-${B:-x}}", "${A:?m}", "${A-}", "${", "${A", "${A:-${B}", "}}}",
		"${A:x}", "${9}", "$A$B", "${A:-$$}", strings.Repeat("${A:-", 40), "${é}", "${A:-\xff}",
	} {
		f.Add(s)
	}
	lookup := env(map[string]string{"A": "a", "B": "", "C": "${A}"})
	f.Fuzz(func(t *testing.T, s string) {
		r := Expand(s, Options{Lookup: lookup})
		if r.Err != nil {
			if r.Err.Offset < 0 || r.Err.Offset >= len(s) || s[r.Err.Offset] != '$' || r.Err.Message == "" {
				t.Fatalf("bad error %+v for %q", r.Err, s)
			}
			if r.Value != s {
				t.Fatalf("failed expansion changed the text")
			}
		}
		if !strings.Contains(s, "$") && (r.Value != s || r.Changed) {
			t.Fatalf("text without $ changed: %q", r.Value)
		}
		l := Expand(s, Options{Lookup: lookup, Bare: true, Lenient: true, MaxLen: 64})
		if l.Err != nil || strings.Contains(s, "$") && len(l.Value) > 64 {
			t.Fatalf("lenient: %+v", l)
		}
	})
}

// TestUnsetNamesTheReferencesWithoutADefault: Unset lists what expanded to
// nothing for want of a value, not what a default covered.
func TestUnsetNamesTheReferencesWithoutADefault(t *testing.T) {
	r := Expand("$A ${B:-x} ${C:-${D}} ${E-} ${SET} $F$F ${G?}", Options{Lookup: env(map[string]string{"SET": "v"}), Bare: true, Lenient: true})
	if !slices.Equal(r.Unset, []string{"A", "D", "F", "F", "G"}) {
		t.Errorf("unset %q", r.Unset)
	}
	if r := Expand("${SET:-${NOPE}}", Options{Lookup: env(map[string]string{"SET": "v"})}); r.Unset != nil {
		t.Errorf("an unused default's reference counted: %q", r.Unset)
	}
}

// TestDefer: an unset variable without a default is handed to Defer with
// the offset of its $; when Defer takes it, expansion goes on past it (so
// every such variable of a text is seen), and when it declines, the
// reference fails as without Defer.
func TestDefer(t *testing.T) {
	type seen struct {
		name, msg string
		off       int
	}
	var got []seen
	opts := Options{Lookup: env(map[string]string{"SET": "value"}), Defer: func(name, msg string, off int) (string, bool) {
		got = append(got, seen{name, msg, off})
		return "<" + name + ">", name != "NO"
	}}
	r := Expand("https://${USER}:${PASS:?the password of ${SET}}@${SET}/${UNSET:-d}", opts)
	if r.Err != nil || r.Value != "https://<USER>:<PASS>@value/d" || !slices.Equal(r.Unset, []string{"USER", "PASS"}) {
		t.Errorf("got %+v", r)
	}
	if want := []seen{{"USER", "", 8}, {"PASS", "the password of value", 16}}; !slices.Equal(got, want) {
		t.Errorf("Defer saw %v, want %v", got, want)
	}
	got = nil
	r = Expand("a ${NO} ${LATER}", opts)
	if r.Err == nil || r.Err.Offset != 2 || r.Err.Message != "variable NO is not set" || len(got) != 1 {
		t.Errorf("declined: %+v, Defer saw %v", r, got)
	}
}
