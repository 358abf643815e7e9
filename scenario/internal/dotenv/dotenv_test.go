package dotenv

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

func TestParse(t *testing.T) {
	src := "# a comment\n" + // 1
		"\n" + // 2
		"PLAIN=value\n" + // 3
		"  SPACED = padded value  \n" + // 4
		"export EXPORTED=yes\n" + // 5
		"export   WIDE=1\n" + // 6
		"SINGLE='lit ${X} \\n # not a comment'\n" + // 7
		"DOUBLE=\"tab\\there\\nnew \\\"q\\\" \\\\ \\$\"\n" + // 8
		"MULTI=\"line one\n" + // 9
		"line two\"\n" + // 10
		"INLINE=value # a comment\n" + // 11
		"HASH=a#b\n" + // 12
		"EMPTY=\n" + // 13
		"QUOTED_EMPTY=\"\"\n" + // 14
		"dotted.key=1\n" + // 15
		"URL=https://x.example/?a=b\n" + // 16
		"\t# indented comment\n" + // 17
		"LAST=end" // 18, no newline
	f, diags := Parse(".env", []byte(src))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %+v", diags)
	}
	want := []Entry{
		{Key: "PLAIN", Value: "value", Expand: true, Line: 3, KeyCol: 1, ValueCol: 7},
		{Key: "SPACED", Value: "padded value", Expand: true, Line: 4, KeyCol: 3, ValueCol: 12},
		{Key: "EXPORTED", Value: "yes", Expand: true, Line: 5, KeyCol: 8, ValueCol: 17},
		{Key: "WIDE", Value: "1", Expand: true, Line: 6, KeyCol: 10, ValueCol: 15},
		{Key: "SINGLE", Value: `lit ${X} \n # not a comment`, Expand: false, Line: 7, KeyCol: 1, ValueCol: 8},
		{Key: "DOUBLE", Value: "tab\there\nnew \"q\" \\ $", Expand: true, Line: 8, KeyCol: 1, ValueCol: 8},
		{Key: "MULTI", Value: "line one\nline two", Expand: true, Line: 9, KeyCol: 1, ValueCol: 7},
		{Key: "INLINE", Value: "value", Expand: true, Line: 11, KeyCol: 1, ValueCol: 8},
		{Key: "HASH", Value: "a#b", Expand: true, Line: 12, KeyCol: 1, ValueCol: 6},
		{Key: "EMPTY", Value: "", Expand: true, Line: 13, KeyCol: 1, ValueCol: 7},
		{Key: "QUOTED_EMPTY", Value: "", Expand: true, Line: 14, KeyCol: 1, ValueCol: 14},
		{Key: "dotted.key", Value: "1", Expand: true, Line: 15, KeyCol: 1, ValueCol: 12},
		{Key: "URL", Value: "https://x.example/?a=b", Expand: true, Line: 16, KeyCol: 1, ValueCol: 5},
		{Key: "LAST", Value: "end", Expand: true, Line: 18, KeyCol: 1, ValueCol: 6},
	}
	if len(f.Entries) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(f.Entries), len(want), f.Entries)
	}
	for i, e := range f.Entries {
		if e != want[i] {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, e, want[i])
		}
	}
	if f.Name != ".env" {
		t.Errorf("name %q", f.Name)
	}
}

func TestParseCRLF(t *testing.T) {
	f, diags := Parse(".env", []byte("A=1\r\nB=\"x\r\ny\"\r\n"))
	if len(diags) != 0 || len(f.Entries) != 2 || f.Entries[0].Value != "1" || f.Entries[1].Value != "x\ny" {
		t.Errorf("got %+v %+v", f.Entries, diags)
	}
}

func TestParseErrors(t *testing.T) {
	src := "GOOD=1\n" + // 1
		"not an assignment\n" + // 2
		"  =value\n" + // 3
		"1BAD=x\n" + // 4
		"MY KEY=x\n" + // 5
		"export\n" + // 6
		"OPEN='never closed\n" + // 7
		"AFTER=2\n" // 8: swallowed by nothing: the unterminated quote is reported, parsing goes on
	f, diags := Parse(".env", []byte(src))
	want := []struct {
		line, col int
		msg       string
	}{
		{2, 1, "not an assignment: expected KEY=VALUE"},
		{3, 3, "not an assignment: expected KEY=VALUE"},
		{4, 1, `invalid variable name "1BAD"`},
		{5, 1, `invalid variable name "MY KEY"`},
		{6, 1, "not an assignment: expected KEY=VALUE"},
		{7, 6, "unterminated '-quoted value of OPEN"},
	}
	if len(diags) != len(want) {
		t.Fatalf("got %d diagnostics, want %d: %+v", len(diags), len(want), diags)
	}
	for i, d := range diags {
		w := want[i]
		if d.File != ".env" || d.Line != w.line || d.Column != w.col || d.Message != w.msg || d.Severity != diag.Error {
			t.Errorf("diag %d: got %d:%d %q, want %d:%d %q", i, d.Line, d.Column, d.Message, w.line, w.col, w.msg)
		}
	}
	if m := f.Map(); len(m) != 2 || m["GOOD"] != "1" || m["AFTER"] != "2" {
		t.Errorf("the valid lines still count: %v", m)
	}
}

// A broken line may be a pasted token: its text is never quoted.
func TestParseErrorHidesTheLine(t *testing.T) {
	tok := "0123456789abcdef0123456789abcdef"
	_, diags := Parse(".env", []byte("MATOMO_TOKEN: "+tok+"\n"+tok+"\n"))
	if len(diags) != 2 {
		t.Fatalf("got %+v", diags)
	}
	for _, d := range diags {
		if strings.Contains(d.Message+d.Hint, tok[:8]) {
			t.Errorf("the token is shown: %+v", d)
		}
	}
}

func TestMapLastWins(t *testing.T) {
	f, _ := Parse(".env", []byte("A=1\nA=2\n"))
	if f.Map()["A"] != "2" {
		t.Errorf("got %v", f.Map())
	}
}

func TestExpand(t *testing.T) {
	f, diags := Parse(".env", []byte("HOST=m.example\nURL=https://${HOST}/x\nLIT='${HOST}'\nBARE=$HOST:$PORT\nDEF=${MISSING:-fallback}\nDEF2=${MISSING-d2}\nENVV=${FROM_ENV}\nSELF=${SELF_LATER}\nSELF_LATER=late\nEMPTYDEF=${EMPTY:-e}\nEMPTY=\nEMPTYDEF2=${EMPTY:-e}\nEMPTYDASH=${EMPTY-d}\n"))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	env := map[string]string{"FROM_ENV": "env-value", "PORT": "8080", "HOST": "ignored: the file wins"}
	got := f.Expand(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	want := map[string]string{
		"HOST": "m.example", "URL": "https://m.example/x", "LIT": "${HOST}",
		"BARE": "m.example:8080", "DEF": "fallback", "DEF2": "d2", "ENVV": "env-value",
		"SELF":       "", // only keys above are visible; unset expands to ""
		"SELF_LATER": "late", "EMPTYDEF": "e", "EMPTY": "", "EMPTYDEF2": "e", "EMPTYDASH": "",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d keys, want %d", len(got), len(want))
	}
}

func TestExpandString(t *testing.T) {
	get := func(k string) (string, bool) {
		if k == "A" {
			return "x", true
		}
		return "", false
	}
	for in, want := range map[string]string{
		"plain":            "plain",
		"$":                "$",
		"a$":               "a$",
		"$1":               "$1",
		"${A}${A}":         "xx",
		"$A_$A":            "x",   // $A_ is a name of its own, unset
		"${A":              "${A", // unterminated: kept as written
		"$A-$A":            "x-x",
		"${B:-$A}":         "x", // a default is a template (it was kept as "$A" before .env and scenarios shared one grammar)
		"${B:-${C:-${A}}}": "x", // nested defaults
		"${A:-${B}}":       "x",
		"${B:-${C:-z}}":    "z",
		"$$A":              "$A", // $$ is a literal $ (it was "$" followed by $A expanded)
		"${A?m}":           "x",  // ? takes a set variable (it was read as the name "A?m")
		"${B:?m}":          "",   // lenient: a failed required reference is empty
		"${}":              "",
		"pre${A}po":        "prexpo",
	} {
		if got := ExpandString(in, get); got != want {
			t.Errorf("ExpandString(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"A=1\n", "export A='x'\n", "A=\"multi\nline\"\n", "A=\"\\", "A='", "=", "export", " # c\n",
		"A=${B:-c}\nB=$A\n", "A=\"\\n\\t\\\\\"", "\xff=\xfe\n", "A=\"x\r\n\"", "A=x #c\n", strings.Repeat("A=\"\n", 50),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags := Parse(".env", data)
		lines := strings.Count(string(data), "\n") + 1
		for _, d := range diags {
			if d.Line < 1 || d.Line > lines || d.Column < 1 || d.Message == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		for _, e := range file.Entries {
			if !validKey(e.Key) || e.Line < 1 || e.Line > lines || e.KeyCol < 1 || e.ValueCol <= e.KeyCol {
				t.Fatalf("bad entry %+v", e)
			}
		}
		m := file.Expand(func(string) (string, bool) { return "", false })
		if len(m) != len(file.Map()) {
			t.Fatalf("Expand and Map disagree on keys")
		}
		if utf8.Valid(data) {
			for k, v := range m {
				if !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Fatalf("invalid UTF-8 from valid input: %q=%q", k, v)
				}
			}
		}
	})
}

// Each value may use the ones above it, so a few lines that double the
// previous value would need gigabytes; expansion stops at MaxExpandedLen,
// on a character boundary.
func TestExpandIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("A0=é\n")
	for i := 1; i < 40; i++ {
		b.WriteString("A" + strconv.Itoa(i) + "=${A" + strconv.Itoa(i-1) + "}$A" + strconv.Itoa(i-1) + "\n")
	}
	f, diags := Parse(".env", []byte(b.String()))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	m := f.Expand(nil)
	last := m["A39"]
	if len(last) != MaxExpandedLen || !utf8.ValidString(last) || last[:4] != "éé" {
		t.Errorf("A39 has %d bytes (valid UTF-8: %v), want %d", len(last), utf8.ValidString(last), MaxExpandedLen)
	}
	if m["A3"] != strings.Repeat("é", 8) {
		t.Errorf("A3 = %q", m["A3"])
	}
}
