package model

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// yaml.v3 reports syntax errors as text, with the line of the enclosing
// construct rather than of the problem, and often without a column. The
// functions here recover a precise line and column: tabs are found
// directly, and otherwise the shortest prefix of the file that fails with the
// same message marks the offending line.

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// checkTabs reports tabs used for indentation, which YAML forbids; editors
// hide them, so the diagnostic says so plainly.
func checkTabs(file string, data []byte) diag.List {
	var out diag.List
	for i, line := range bytes.Split(data, []byte("\n")) {
		for j, c := range line {
			if c == ' ' {
				continue
			}
			if c == '\t' {
				out = append(out, diag.Diagnostic{
					File: file, Line: i + 1, Column: j + 1, Severity: diag.Error,
					Message: "tab character in indentation: YAML allows only spaces",
					Hint:    "replace the tab with spaces",
				})
			}
			break
		}
	}
	return out
}

// syntaxError turns a yaml.v3 parse error into a positioned diagnostic.
func syntaxError(file string, data []byte, err error) diag.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	lines := strings.Split(string(data), "\n")
	if l := failingPrefix(lines, max(line, 1), msg); l > 0 {
		line = l
	}
	if line < 1 || line > len(lines) {
		line = max(min(line, len(lines)), 1)
	}
	col := problemColumn(lines[line-1], msg)
	return diag.Diagnostic{
		File: file, Line: line, Column: col, Severity: diag.Error,
		Message: "YAML syntax error: " + msg,
		Hint:    syntaxHint(msg),
	}
}

// prefixSearchBudget bounds the bytes failingPrefix parses in all.
const prefixSearchBudget = 8 << 20

// failingPrefix returns the first line k >= from such that the file cut
// after line k fails with the same message, or 0. Cutting a file can only add
// errors of other kinds (end of stream inside a flow or quoted value), so
// matching the message keeps the search honest.
func failingPrefix(lines []string, from int, msg string) int {
	if len(lines) > 1000 {
		return 0 // keep the error path cheap on huge inputs
	}
	// Long lines make each attempt costly: a budget of bytes parsed keeps a
	// 4 MiB file from taking a minute (it did).
	budget := prefixSearchBudget
	for k := from; k <= len(lines); k++ {
		prefix := strings.Join(lines[:k], "\n") + "\n"
		if budget -= len(prefix); budget < 0 {
			return 0
		}
		var n yaml.Node
		err := yaml.Unmarshal([]byte(prefix), &n)
		if err == nil {
			continue
		}
		got := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
			got = m[2]
		}
		if got == msg {
			return k
		}
	}
	return 0
}

// problemColumn guesses the column of the problem within its line.
func problemColumn(line, msg string) int {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		// The second ": " of the line is the one YAML cannot accept.
		if first := strings.Index(line, ": "); first >= 0 {
			if second := strings.Index(line[first+2:], ": "); second >= 0 {
				return first + 2 + second + 1
			}
			return first + 1
		}
	case strings.HasPrefix(msg, "unknown anchor '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "unknown anchor '"), "' referenced")
		if i := strings.Index(line, "*"+name); i >= 0 {
			return i + 1
		}
	case strings.Contains(msg, "cannot start any token"):
		if i := strings.IndexAny(line[indent:], "\t@`%"); i >= 0 {
			return indent + i + 1
		}
	}
	return indent + 1
}

func syntaxHint(msg string) string {
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		return "quote values that contain \": \", or fix the indentation of this key"
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "expected '-' indicator"):
		return "check the indentation: keys of one mapping must line up"
	case strings.Contains(msg, "cannot start any token"):
		return "quote values that start with @, ` or %"
	}
	return ""
}

// checkDuplicateKeys reports a key that appears twice in one mapping, at the
// second occurrence; YAML parsers disagree on which one wins, so it is an
// error rather than a silent override.
func checkDuplicateKeys(file string, n *yaml.Node) diag.List {
	var out diag.List
	var walk func(*yaml.Node, int)
	walk = func(n *yaml.Node, depth int) {
		if depth > 200 {
			return
		}
		if n.Kind == yaml.MappingNode {
			seen := map[string]*yaml.Node{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if first, ok := seen[k.Value]; ok && k.Kind == yaml.ScalarNode {
					out = append(out, diag.Diagnostic{
						File: file, Line: k.Line, Column: k.Column, Severity: diag.Error,
						Message: fmt.Sprintf("duplicate key %q (first defined at line %d)", k.Value, first.Line),
						Hint:    "remove one of them",
					})
				} else {
					seen[k.Value] = k
				}
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}
