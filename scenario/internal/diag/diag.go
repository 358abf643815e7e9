// Package diag holds the one diagnostic type that every check in Trafficinator
// reports through: YAML syntax, JSON Schema, semantic rules, expressions and
// legacy .env migration. It is rendered as gcc-style text, JSON or GitHub
// workflow commands (see render.go), in the manner of HCL's hcl.Diagnostic.
package diag

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Severity orders diagnostics; only errors make a file invalid.
type Severity int

const (
	Info Severity = iota
	// Note is something the reader should know that is not wrong in the
	// file: a variable that `apply` will need but that is unset here.
	// Notes never make a command fail, not even validate --strict.
	Note
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Note:
		return "note"
	default:
		return "info"
	}
}

// MarshalText renders the severity as its word in JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the word written by MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	case "note":
		*s = Note
	case "info":
		*s = Info
	default:
		return fmt.Errorf("unknown severity %q", b)
	}
	return nil
}

// Pos is a 1-based line and column in a source file. Zero means unknown.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Diagnostic is one finding about one place in one file.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Severity Severity `json:"severity"`
	// Path is the field path as a JSON pointer, e.g. /targets/1/weight.
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// At returns a copy of d placed at p.
func (d Diagnostic) At(p Pos) Diagnostic {
	d.Line, d.Column = p.Line, p.Column
	return d
}

// List is an ordered collection of diagnostics.
type List []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns how many diagnostics have severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders by file, line, column, then message, so output is stable.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Message < b.Message
	})
}

// Redact replaces every occurrence of each secret in the text fields of l.
// Checks should never quote a secret; this is the last line of defence.
func (l List) Redact(secrets []string) List {
	if len(secrets) == 0 {
		return l
	}
	out := make(List, len(l))
	for i, d := range l {
		d.Message = RedactString(d.Message, secrets)
		d.Hint = RedactString(d.Hint, secrets)
		out[i] = d
	}
	return out
}

// Redacted is what a secret is replaced with wherever it would be shown.
const Redacted = "[redacted]"

// MinSecretLen is the shortest secret that is redacted. Shorter values (a
// site id of "4" read from the environment, a token_auth of "x" in a test
// file) are not secrets worth hiding, and replacing them would mangle every
// word that contains them ("fi[redacted]ed").
const MinSecretLen = 4

// RedactString replaces each secret of at least MinSecretLen bytes in s with
// [redacted]. Messages quote values with %q and trim spaces, so the quoted
// and trimmed forms of a secret are replaced too. Longer forms go first, so
// that a secret which contains another is replaced whole.
func RedactString(s string, secrets []string) string {
	for _, form := range secretForms(secrets) {
		if strings.Contains(s, form) {
			s = strings.ReplaceAll(s, form, Redacted)
		}
	}
	return s
}

// MaskSecrets hides every secret of at least MinSecretLen bytes in text
// behind a mask of the same length ("[redacted]***" or "****"), so that
// the carets of diagnostics under a quoted line still point at the right
// column. Text without secrets is returned as it is, not copied.
func MaskSecrets(text []byte, secrets []string) []byte {
	sorted := slices.Clone(secrets)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	s := string(text)
	changed := false
	for _, sec := range sorted {
		if len(sec) < MinSecretLen || !strings.Contains(s, sec) {
			continue
		}
		mask := strings.Repeat("*", len(sec))
		if len(sec) >= len(Redacted) {
			mask = Redacted + mask[len(Redacted):]
		}
		s = strings.ReplaceAll(s, sec, mask)
		changed = true
	}
	if !changed {
		return text
	}
	return []byte(s)
}

// secretForms returns the ways the secrets can appear in a message, longest
// first.
func secretForms(secrets []string) []string {
	var out []string
	add := func(f string) {
		if len(f) >= MinSecretLen && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, sec := range secrets {
		for _, f := range []string{sec, strings.TrimSpace(sec)} {
			q := strconv.Quote(f)
			add(q[1 : len(q)-1])
			add(f)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
