package diag

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{Info, Note, Warning, Error} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v: %q → %v %v", s, b, back, err)
		}
	}
	var s Severity
	if b, _ := Note.MarshalText(); string(b) != "note" {
		t.Errorf("Note is written %q", b)
	}
	if err := s.UnmarshalText([]byte("fatal")); err == nil || err.Error() != `unknown severity "fatal"` {
		t.Errorf("fatal: %v", err)
	}
	if b, _ := json.Marshal(Diagnostic{Severity: Warning}); !strings.Contains(string(b), `"severity":"warning"`) {
		t.Errorf("json: %s", b)
	}
}

func TestListCountsAndSort(t *testing.T) {
	l := List{
		{File: "b.yaml", Line: 1, Column: 1, Severity: Error, Message: "b"},
		{File: "a.yaml", Line: 10, Column: 1, Severity: Warning, Message: "z"},
		{File: "a.yaml", Line: 2, Column: 5, Severity: Error, Message: "y"},
		{File: "a.yaml", Line: 2, Column: 5, Severity: Error, Message: "x"},
		{File: "a.yaml", Line: 2, Column: 3, Severity: Info, Message: "w"},
	}
	if !l.HasErrors() || l.Count(Error) != 3 || l.Count(Warning) != 1 || l.Count(Info) != 1 {
		t.Errorf("counts wrong")
	}
	if (List{{Severity: Warning}}).HasErrors() || List(nil).HasErrors() {
		t.Errorf("warnings are not errors")
	}
	l.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.Message)
	}
	// File, then line, then column (numerically), then message.
	if want := []string{"w", "x", "y", "z", "b"}; !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

func TestAt(t *testing.T) {
	d := Diagnostic{File: "f", Message: "m"}
	got := d.At(Pos{Line: 3, Column: 4})
	if got.Line != 3 || got.Column != 4 || d.Line != 0 || got.Message != "m" {
		t.Errorf("At: %+v (original %+v)", got, d)
	}
}

func TestRedact(t *testing.T) {
	secrets := []string{"0123456789abcdef", `pa"ss\word`, " spaced ", "abc", ""}
	l := List{
		{Message: `token 0123456789abcdef and again 0123456789abcdef`, Hint: "set 0123456789abcdef", Path: "/targets/0", File: "f"},
		{Message: `unknown timezone "pa\"ss\\word"`},
		{Message: `invalid duration "spaced"`},
		{Message: "fixed abc abcd"}, // "abc" is shorter than MinSecretLen
	}
	got := l.Redact(secrets)
	want := []string{
		"token [redacted] and again [redacted]",
		`unknown timezone "[redacted]"`,
		`invalid duration "[redacted]"`,
		"fixed abc abcd",
	}
	for i, d := range got {
		if d.Message != want[i] {
			t.Errorf("%d: %q, want %q", i, d.Message, want[i])
		}
	}
	if got[0].Hint != "set [redacted]" || got[0].Path != "/targets/0" || got[0].File != "f" {
		t.Errorf("hint/path/file: %+v", got[0])
	}
	if l[0].Message == got[0].Message {
		t.Errorf("Redact must return a copy, not change its receiver")
	}
	if same := l.Redact(nil); &same[0] != &l[0] {
		t.Errorf("no secrets: the list itself is returned")
	}
}

// A secret that contains another is replaced whole, not around the
// shorter one.
func TestRedactOverlapping(t *testing.T) {
	got := RedactString("key secret-long-value", []string{"secret", "secret-long-value"})
	if got != "key [redacted]" {
		t.Errorf("got %q", got)
	}
}
