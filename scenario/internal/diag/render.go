package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Sources gives renderers the text of a file so that they can quote the
// offending line. It may return false when the text is unknown.
type Sources func(file string) ([]byte, bool)

// WriteText renders gcc style: "FILE:LINE:COL: error: MESSAGE", then the
// source line with a caret under the column, then the hint.
func WriteText(w io.Writer, l List, src Sources) error {
	for _, d := range l {
		loc := d.File
		if d.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", d.File, d.Line, max(d.Column, 1))
		}
		msg := d.Message
		if d.Path != "" {
			msg += " (at " + d.Path + ")"
		}
		if _, err := fmt.Fprintf(w, "%s: %s: %s\n", loc, d.Severity, msg); err != nil {
			return err
		}
		if line, ok := sourceLine(src, d.File, d.Line); ok {
			fmt.Fprintf(w, "  %s\n  %s^\n", strings.ReplaceAll(line, "\t", " "), strings.Repeat(" ", max(d.Column-1, 0)))
		}
		if d.Hint != "" {
			fmt.Fprintf(w, "  hint: %s\n", d.Hint)
		}
	}
	return nil
}

func sourceLine(src Sources, file string, line int) (string, bool) {
	if src == nil || line <= 0 {
		return "", false
	}
	b, ok := src(file)
	if !ok {
		return "", false
	}
	lines := strings.Split(string(b), "\n")
	if line > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[line-1], "\r"), true
}

// WriteJSON renders the list as a JSON array of objects (never null).
func WriteJSON(w io.Writer, l List) error {
	if l == nil {
		l = List{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}

// WriteGitHub renders GitHub Actions workflow commands:
// "::error file=F,line=L,col=C::MESSAGE".
func WriteGitHub(w io.Writer, l List) error {
	for _, d := range l {
		cmd := "notice"
		switch d.Severity {
		case Error:
			cmd = "error"
		case Warning:
			cmd = "warning"
		}
		props := "file=" + escapeProperty(d.File)
		if d.Line > 0 {
			props += fmt.Sprintf(",line=%d,col=%d", d.Line, max(d.Column, 1))
		}
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, props, escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// The escaping rules of GitHub's workflow commands (actions/toolkit).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Formats are the names Write takes, the default first.
var Formats = []string{"text", "json", "github", "sarif"}

// Write renders l in the named format: text, json, github or sarif.
func Write(w io.Writer, format string, l List, src Sources) error {
	switch format {
	case "", "text":
		return WriteText(w, l, src)
	case "json":
		return WriteJSON(w, l)
	case "github":
		return WriteGitHub(w, l)
	case "sarif":
		return WriteSARIF(w, l)
	}
	return fmt.Errorf("unknown format %q (want text, json, github or sarif)", format)
}
