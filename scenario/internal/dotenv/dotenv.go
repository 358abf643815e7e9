// Package dotenv reads .env files: KEY=VALUE lines with comments, blank
// lines, "export " prefixes, single and double quotes, and ${VAR}
// references. It is used for --env-file and by the legacy migration, and it
// keeps the position of every key and value for diagnostics.
package dotenv

import (
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/interp"
)

// Entry is one assignment.
type Entry struct {
	Key      string
	Value    string // unquoted; escapes of double quotes applied
	Expand   bool   // false for single-quoted values, which are literal
	Line     int
	KeyCol   int
	ValueCol int
}

// File is a parsed .env file.
type File struct {
	Name    string
	Entries []Entry
}

// Parse reads data. Lines that are not assignments are errors at their
// position; parsing goes on so that every broken line is reported.
func Parse(name string, data []byte) (*File, diag.List) {
	f := &File{Name: name}
	var diags diag.List
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		lineNo := i + 1
		trimmed := strings.TrimLeft(raw, " \t")
		col := len(raw) - len(trimmed) + 1
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(trimmed, "export "); ok {
			n := len(trimmed) - len(strings.TrimLeft(rest, " \t"))
			col += n
			trimmed = trimmed[n:]
		}
		eq := strings.IndexByte(trimmed, '=')
		if eq <= 0 {
			diags = append(diags, diag.Diagnostic{
				File: name, Line: lineNo, Column: col, Severity: diag.Error,
				// The line is not quoted: it may be a pasted token.
				Message: "not an assignment: expected KEY=VALUE",
				Hint:    "each line is KEY=VALUE, a # comment, or blank",
			})
			continue
		}
		key := strings.TrimRight(trimmed[:eq], " \t")
		if !validKey(key) {
			diags = append(diags, diag.Diagnostic{
				File: name, Line: lineNo, Column: col, Severity: diag.Error,
				Message: fmt.Sprintf("invalid variable name %q", clip(key, 40)),
				Hint:    "names are letters, digits and _, not starting with a digit",
			})
			continue
		}
		valStart := eq + 1
		valText := trimmed[valStart:]
		lead := len(valText) - len(strings.TrimLeft(valText, " \t"))
		valText = valText[lead:]
		e := Entry{Key: key, Line: lineNo, KeyCol: col, ValueCol: col + valStart + lead, Expand: true}
		switch {
		case strings.HasPrefix(valText, "'") || strings.HasPrefix(valText, `"`):
			q := valText[0]
			body, consumed, ok := quoted(valText[1:], q, lines[i+1:])
			if !ok {
				diags = append(diags, diag.Diagnostic{
					File: name, Line: lineNo, Column: e.ValueCol, Severity: diag.Error,
					Message: fmt.Sprintf("unterminated %c-quoted value of %s", q, key),
				})
				continue
			}
			i += consumed
			e.Value = body
			e.Expand = q == '"'
		default:
			// An unquoted value ends at " #" (an inline comment).
			if j := strings.Index(valText, " #"); j >= 0 {
				valText = valText[:j]
			}
			e.Value = strings.TrimRight(valText, " \t")
		}
		f.Entries = append(f.Entries, e)
	}
	return f, diags
}

// quoted reads a quoted value that may span lines; it returns the body, the
// number of extra lines consumed and whether the closing quote was found.
func quoted(rest string, q byte, more []string) (string, int, bool) {
	var b strings.Builder
	text := rest
	used := 0
	for {
		for j := 0; j < len(text); j++ {
			c := text[j]
			if q == '"' && c == '\\' && j+1 < len(text) {
				j++
				switch text[j] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				default:
					b.WriteByte(text[j])
				}
				continue
			}
			if c == q {
				return b.String(), used, true
			}
			b.WriteByte(c)
		}
		if used >= len(more) {
			return "", 0, false
		}
		b.WriteByte('\n')
		text = more[used]
		used++
	}
}

// Map returns the entries as a map; for duplicate keys the last one wins.
func (f *File) Map() map[string]string {
	m := make(map[string]string, len(f.Entries))
	for _, e := range f.Entries {
		m[e.Key] = e.Value
	}
	return m
}

// Expand resolves ${VAR}, ${VAR:-default} and $VAR references (see
// ExpandString) in the double-quoted and unquoted values, in file order: a value can use the keys
// above it, then lookup (the process environment). Unset references expand
// to the empty string, as in docker compose.
func (f *File) Expand(lookup func(string) (string, bool)) map[string]string {
	m := make(map[string]string, len(f.Entries))
	get := func(k string) (string, bool) {
		if v, ok := m[k]; ok {
			return v, true
		}
		if lookup != nil {
			return lookup(k)
		}
		return "", false
	}
	for _, e := range f.Entries {
		v := e.Value
		if e.Expand {
			v = ExpandString(v, get)
		}
		m[e.Key] = v
	}
	return m
}

// MaxExpandedLen caps the length of an expanded value. Each value may use
// the ones above it, so "B=$A$A", "C=$B$B", ... doubles at every line: 30
// lines would need gigabytes. Expansion stops at the cap; no real value
// comes near it.
const MaxExpandedLen = 1 << 20

// ExpandString expands ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR and
// $$ with the grammar of package interp (the one scenarios use; defaults
// nest), in the lenient dialect of .env files: an unset or broken
// reference expands to "", an unterminated one is kept as written. The
// result is cut at MaxExpandedLen bytes.
func ExpandString(s string, get func(string) (string, bool)) string {
	v, _ := ExpandUnset(s, get)
	return v
}

// ExpandUnset is ExpandString that also names, in order, the variables
// that were not set where s gave no default for them: the references that
// expanded to "".
func ExpandUnset(s string, get func(string) (string, bool)) (value string, unset []string) {
	r := interp.Expand(s, interp.Options{Lookup: get, Bare: true, Lenient: true, MaxLen: MaxExpandedLen})
	return r.Value, r.Unset
}

func validKey(s string) bool {
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r == '.':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
