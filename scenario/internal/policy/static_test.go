package policy

import (
	"errors"
	"strings"
	"testing"
)

// A divisor that can be 0 needs a guard; a literal range or repeat beyond
// MaxRange is refused; each error points at the offending operand.
func TestStaticRulesRefuse(t *testing.T) {
	cases := []struct {
		when      string
		line, col int
		msg       string
	}{
		{"10 % errors == 1", 1, 6, "modulo by errors, which can be 0"},
		{"failed / requests > 0.1", 1, 10, "division by requests, which can be 0"},
		{"errors % 0 == 1", 1, 10, "modulo by zero"},
		{"10 % 0 == 1", 1, 6, "modulo by zero"},
		{"errors / 0.0 > 1", 1, 10, "division by zero"},
		{"requests > 0 || failed / requests > 0.1", 1, 26, "division by requests"},
		{"requests >= 0 && failed / requests > 0.1", 1, 27, "division by requests"},
		{"hits > 0 && failed / requests > 0.1", 1, 22, "division by requests"},
		{"failed / requests > 0.1 && requests > 0", 1, 10, "division by requests"},
		{"(requests > 0 ? 1 : failed / requests) > 0.1", 1, 30, "division by requests"},
		{"window(\"1m\").hits > 0 && window(\"1m\").failed / window(\"5m\").hits > 1", 1, 48, `division by window("5m").hits`},
		{"requests > 0 &&\n  failed / (requests - errors) > 0.5", 2, 13, "division by requests - errors"},
		{"len(1..100000000) > 0", 1, 5, "the range 1..100000000 builds 100000000 values: at most 10000 are allowed"},
		{"len(0..10000) > 0", 1, 5, "builds 10001 values"},
		{"len(-1..9223372036854775807) > 0", 1, 5, "at most 10000"},
		{`len(repeat("x", 10000000)) > 0`, 1, 17, "repeat count 10000000 is larger than 10000"},
	}
	for _, tc := range cases {
		t.Run(tc.when, func(t *testing.T) {
			prog, err := Compile(tc.when)
			var pe *Error
			if prog != nil || !errors.As(err, &pe) {
				t.Fatalf("want *Error, got %v (program %v)", err, prog != nil)
			}
			if pe.Line != tc.line || pe.Column != tc.col || !strings.Contains(pe.Message, tc.msg) {
				t.Errorf("got %d:%d %q, want %d:%d containing %q", pe.Line, pe.Column, pe.Message, tc.line, tc.col, tc.msg)
			}
		})
	}
}

// Guards, as docs/policies.md defines them, let a division through.
func TestStaticRulesAcceptGuards(t *testing.T) {
	for _, when := range []string{
		"requests > 0 && failed / requests > 0.1",
		"requests > 0 and failed / requests > 0.1",
		"0 < requests && failed / requests > 0.1",
		"errors != 0 && 10 % errors == 1 || true",
		"errors > 0 && 10 % errors == 1",
		"requests >= 100 && hits > 0 && failed / requests > 0.1",
		"hits > 0 && (requests > 0 && failed / requests > 0.1)",
		"requests == 0 || failed / requests > 0.1",
		"requests < 1 || failed / requests > 0.1",
		"not (requests > 0) || failed / requests > 0.1",
		"(requests > 0 ? failed / requests : 0.0) > 0.1",
		"(requests == 0 ? 0.0 : failed / requests) > 0.1",
		"failed / max(requests, 1) > 0.1",
		"failed / 2 > 1",
		"failed % -3 == 1",
		`window("1m").requests > 0 && window("1m").failed / window("1m").requests > 0.2`,
		"len(1..10000) > 0",
		`len(repeat("ab", 10000)) > 0`,
		"len(1..requests) > 0", // not a literal: decided at run time
	} {
		if _, err := Compile(when); err != nil {
			t.Errorf("Compile(%q): %v", when, err)
		}
	}
}

// Length and nesting are checked on the text, before the parser (which
// recurses) sees it: a million brackets is an error, not a crash.
func TestLimits(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("(", n) + "errors > 0" + strings.Repeat(")", n) }
	cases := []struct {
		when      string
		line, col int
		msg       string
	}{
		{deep(MaxDepth + 1), 1, MaxDepth + 1, "expression nests deeper than 32 levels of brackets"},
		{deep(1000000)[:MaxLength], 1, MaxDepth + 1, "nests deeper than 32"},
		{deep(1000000), 1, MaxLength + 1, "expression is longer than 2000 characters (it has 2000010)"},
		{"errors > 0 &&\n" + strings.Repeat("[", 40) + "1" + strings.Repeat("]", 40) + " != nil", 2, 33, "nests deeper"},
		{strings.Repeat("-", 5000) + "1 > 0", 1, 2001, "longer than 2000"},
	}
	for _, tc := range cases {
		_, err := Compile(tc.when)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("want *Error, got %v", err)
		}
		if pe.Line != tc.line || pe.Column != tc.col || !strings.Contains(pe.Message, tc.msg) {
			t.Errorf("%.40q: got %d:%d %q, want %d:%d containing %q", tc.when, pe.Line, pe.Column, pe.Message, tc.line, tc.col, tc.msg)
		}
		if info := Analyze(tc.when); info.Vars != nil || info.Spans != nil {
			t.Errorf("Analyze read an expression over the limits: %+v", info)
		}
	}
	// At the limits, brackets in strings and comments do not count.
	for _, when := range []string{
		deep(MaxDepth),
		`target != "` + strings.Repeat("(", 100) + `" && errors > 0`,
		"target != '((((((((((((((((((((((((((((((((((((' && errors > 0",
		"target != `" + strings.Repeat("[", 50) + "` // " + strings.Repeat("(", 50) + "\n && errors > 0",
		"errors > 0 /* " + strings.Repeat("{", 50) + " */",
		"errors / 2 > 0 && " + strings.Repeat(" ", MaxLength-23) + "true",
	} {
		if _, err := Compile(when); err != nil {
			t.Errorf("Compile(%.60q): %v", when, err)
		}
	}
}
