package diag

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var renderSample = List{
	{File: "s.yaml", Line: 2, Column: 11, Severity: Error, Path: "/targets/0/site_id", Message: "expected integer, got string", Hint: "write a number"},
	{File: "s.yaml", Line: 3, Column: 1, Severity: Warning, Message: "no stop condition"},
	{File: "gone.yaml", Severity: Error, Message: "no such file or directory"},
}

var renderSource = map[string]string{
	"s.yaml": "targets:\n\t- site_id: one\r\nrun: {}\n",
}

func sources(file string) ([]byte, bool) {
	s, ok := renderSource[file]
	return []byte(s), ok
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, renderSample, sources); err != nil {
		t.Fatal(err)
	}
	// The tab of line 2 is shown as a space so that the caret lines up;
	// the \r of a CRLF file is dropped.
	want := "s.yaml:2:11: error: expected integer, got string (at /targets/0/site_id)\n" +
		"   - site_id: one\n" +
		"            ^\n" +
		"  hint: write a number\n" +
		"s.yaml:3:1: warning: no stop condition\n" +
		"  run: {}\n" +
		"  ^\n" +
		"gone.yaml: error: no such file or directory\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteTextWithoutSource(t *testing.T) {
	l := List{
		{File: "a.yaml", Line: 9, Column: 0, Severity: Info, Message: "m"},
		{File: "s.yaml", Line: 99, Column: 1, Severity: Error, Message: "past the end"},
	}
	var b bytes.Buffer
	if err := WriteText(&b, l, sources); err != nil {
		t.Fatal(err)
	}
	want := "a.yaml:9:1: info: m\ns.yaml:99:1: error: past the end\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	if err := WriteText(&b, l[:1], nil); err != nil || b.String() != "a.yaml:9:1: info: m\n" {
		t.Errorf("nil sources: %q %v", b.String(), err)
	}
}

func TestWriteGitHub(t *testing.T) {
	l := List{
		{File: "dir,x/a:b.yaml", Line: 4, Column: 7, Severity: Error, Message: "100% wrong\r\nsecond line", Hint: "fix: it, now"},
		{File: "b.yaml", Line: 1, Column: 0, Severity: Warning, Message: "w"},
		{File: "c.yaml", Severity: Info, Message: "n"},
	}
	var b bytes.Buffer
	if err := WriteGitHub(&b, l); err != nil {
		t.Fatal(err)
	}
	// Properties escape % \r \n : and ,; the message escapes % \r \n only.
	want := "::error file=dir%2Cx/a%3Ab.yaml,line=4,col=7::100%25 wrong%0D%0Asecond line%0Ahint: fix: it, now\n" +
		"::warning file=b.yaml,line=1,col=1::w\n" +
		"::notice file=c.yaml::n\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, renderSample[1:]); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "file": "s.yaml",
    "line": 3,
    "column": 1,
    "severity": "warning",
    "message": "no stop condition"
  },
  {
    "file": "gone.yaml",
    "line": 0,
    "column": 0,
    "severity": "error",
    "message": "no such file or directory"
  }
]
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}

	// Path and hint appear when set, and the output reads back as a List.
	b.Reset()
	if err := WriteJSON(&b, renderSample); err != nil {
		t.Fatal(err)
	}
	var back List
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 3 || back[0] != renderSample[0] || back[2] != renderSample[2] {
		t.Errorf("round trip: %+v", back)
	}
	if !strings.Contains(b.String(), `"path": "/targets/0/site_id"`) || !strings.Contains(b.String(), `"hint": "write a number"`) {
		t.Errorf("path or hint missing:\n%s", b.String())
	}

	for _, empty := range []List{nil, {}} {
		b.Reset()
		if err := WriteJSON(&b, empty); err != nil || b.String() != "[]\n" {
			t.Errorf("empty list: %q %v", b.String(), err)
		}
	}
}

func TestWriteFormats(t *testing.T) {
	l := renderSample[:1]
	for format, prefix := range map[string]string{"": "s.yaml:2:11: error", "text": "s.yaml:2:11: error", "json": "[\n", "github": "::error "} {
		var b bytes.Buffer
		if err := Write(&b, format, l, sources); err != nil || !strings.HasPrefix(b.String(), prefix) {
			t.Errorf("format %q: %q %v", format, b.String(), err)
		}
	}
	var b bytes.Buffer
	err := Write(&b, "xml", l, sources)
	if err == nil || err.Error() != `unknown format "xml" (want text, json, github or sarif)` || b.Len() != 0 {
		t.Errorf("xml: %v %q", err, b.String())
	}
}

// A writer error stops rendering and is returned.
func TestWriteErrors(t *testing.T) {
	w := failingWriter{}
	if err := WriteText(w, renderSample, sources); err == nil {
		t.Error("text: no error")
	}
	if err := WriteGitHub(w, renderSample); err == nil {
		t.Error("github: no error")
	}
	if err := WriteJSON(w, renderSample); err == nil {
		t.Error("json: no error")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

var errWrite = errors.New("write failed")

// TestNoteInEveryFormat: a note reads "note" in text and JSON, and is a
// notice annotation on GitHub (which has no note level).
func TestNoteInEveryFormat(t *testing.T) {
	l := List{{File: "s.yaml", Line: 12, Column: 17, Severity: Note, Message: "variable MATOMO_TOKEN is not set (needed by apply)"}}
	want := map[string]string{
		"text":   "s.yaml:12:17: note: variable MATOMO_TOKEN is not set (needed by apply)\n",
		"github": "::notice file=s.yaml,line=12,col=17::variable MATOMO_TOKEN is not set (needed by apply)\n",
		"json": `[
  {
    "file": "s.yaml",
    "line": 12,
    "column": 17,
    "severity": "note",
    "message": "variable MATOMO_TOKEN is not set (needed by apply)"
  }
]
`,
	}
	for format, w := range want {
		var b bytes.Buffer
		if err := Write(&b, format, l, nil); err != nil || b.String() != w {
			t.Errorf("%s: got %q (%v), want %q", format, b.String(), err, w)
		}
	}
}
