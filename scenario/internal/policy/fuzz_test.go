package policy

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/expr-lang/expr/vm"
)

// FuzzCompile feeds expressions to the validate path (limits, parser,
// type checker, static rules, analysis). It must never panic nor
// overflow the stack; an error carries a position inside the text; and
// an accepted expression evaluated with every figure at 0 never divides
// by zero (the guards are sound).
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		"errors > 0",
		"requests > 0 && failed / requests > 0.1",
		"requests == 0 || 10 % requests == 1",
		"(requests > 0 ? failed / requests : 0.0) > 0.5",
		"not (errors > 0) || 10 % errors == 0",
		`window("1m").hits > 0 && window("1m").failed / window("1m").hits > 0.5`,
		"let x = requests; x > 0 && 10 % x == 1",
		"len(1..10) > 0 && len(repeat(\"ab\", 3)) == 6",
		`status["500"] > 0 && target == "eu" // a comment (`,
		strings.Repeat("(", 40) + "true" + strings.Repeat(")", 40),
		strings.Repeat("!", 300) + "true",
		"optional_unavailable > 0",
	} {
		f.Add(seed)
	}
	zero := &Env{Stats: Stats{Status: map[string]int64{}},
		Window:        func(string) Stats { return Stats{Status: map[string]int64{}} },
		ErrorRateOver: func(string) float64 { return 0 },
		P95Over:       func(string) float64 { return 0 },
	}
	f.Fuzz(func(t *testing.T, when string) {
		prog, err := Compile(when)
		if err != nil {
			var pe *Error
			if errors.As(err, &pe) {
				lines := strings.Count(when, "\n") + 1
				if pe.Line < 1 || pe.Line > lines || pe.Column < 1 {
					t.Fatalf("error %d:%d outside the text (%d lines): %v", pe.Line, pe.Column, lines, pe)
				}
			}
			return
		}
		_ = Analyze(when)
		if !utf8.ValidString(when) {
			return
		}
		if _, err := vm.Run(prog, zero); err != nil && strings.Contains(err.Error(), "divide by zero") {
			t.Fatalf("%q was accepted but divides by zero at 0: %v", when, err)
		}
	})
}
