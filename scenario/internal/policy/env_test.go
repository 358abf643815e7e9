package policy

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"
)

func TestCompileAccepts(t *testing.T) {
	for _, when := range []string{
		"error_rate > 0.05 && requests >= 200",
		"p95_ms > 800",
		"rejected > 0",
		"status[\"500\"] > 10",
		"target == \"eu\" and errors > 1",
		"window(\"1m\").error_rate > 0.1",
		"error_rate_over(\"30s\") > 0.2 || p95_ms_over(\"5m\") > 1000",
		"window(\"1h\").p99_ms > 0",
		"elapsed_s > 60\n  && rate < 1",
		"true",
	} {
		if _, err := Compile(when); err != nil {
			t.Errorf("Compile(%q): %v", when, err)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		when      string
		line, col int
		msg       string
	}{
		{"eror_rate > 0.1", 1, 1, "unknown name eror_rate; did you mean error_rate?"},
		{"requests > 1 && p95ms > 2", 1, 17, "unknown name p95ms; did you mean p95_ms?"},
		{"bananas > 1", 1, 1, "unknown name bananas"},
		{"requests > 1 &&\n  reqests > 2", 2, 3, "unknown name reqests; did you mean requests?"},
		{"errors + 1", 1, 1, "expected bool, but got int"},
		{"p95_ms", 1, 1, "expected bool, but got float64"},
		{"errors > > 1", 1, 10, "unexpected token Operator(\">\")"},
		{"window(\"1mn\").errors > 0", 1, 8, `invalid window "1mn": use a duration such as 30s or 5m`},
		{"errors > 0 && error_rate_over(\"2h\") > 0.1", 1, 31, `window "2h" is longer than 1h0m0s`},
		{"p95_ms_over(\"-5s\") > 1", 1, 13, `invalid window "-5s"`},
		{"p95_ms_over(\"0s\") > 1", 1, 13, `invalid window "0s"`},
		{"window(target).errors > 0", 1, 8, `window() needs a literal span such as "1m"`},
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
			if pe.Error() != pe.Message {
				t.Errorf("Error() = %q", pe.Error())
			}
		})
	}
}

// A compiled program runs against an Env the way the runner fills it.
func TestCompiledProgramRuns(t *testing.T) {
	prog, err := Compile(`error_rate > 0.05 && requests >= 200 && window("1m").errors > 3 && status["503"] > 0 && target == "eu"`)
	if err != nil {
		t.Fatal(err)
	}
	var spans []string
	env := Env{
		Stats:  Stats{ErrorRate: 0.1, Requests: 250, Status: map[string]int64{"503": 2}},
		Target: "eu",
		Window: func(span string) Stats {
			spans = append(spans, span)
			return Stats{Errors: 4}
		},
	}
	out, err := expr.Run(prog, env)
	if err != nil || out != true {
		t.Fatalf("got %v, %v", out, err)
	}
	if len(spans) != 1 || spans[0] != "1m" {
		t.Errorf("window called with %q", spans)
	}
	env.Requests = 10
	if out, err := expr.Run(prog, env); err != nil || out != false {
		t.Errorf("requests 10: %v, %v", out, err)
	}
}

func TestParseSpan(t *testing.T) {
	for in, want := range map[string]time.Duration{"30s": 30 * time.Second, "5m": 5 * time.Minute, "1h": time.Hour, "500ms": 500 * time.Millisecond} {
		if got, err := ParseSpan(in); err != nil || got != want {
			t.Errorf("ParseSpan(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0s", "-1m", "61m", "1d", "soon"} {
		if _, err := ParseSpan(in); err == nil {
			t.Errorf("ParseSpan(%q): no error", in)
		}
	}
}

// Variables is exactly the names an expression can use: each one
// compiles, and every expr-tagged field of Env (and of the embedded Stats and Verification)
// is listed, so suggestions and hints never miss one.
func TestVariablesMatchEnv(t *testing.T) {
	for _, v := range Variables {
		if _, err := Compile(v + " != nil"); err != nil {
			t.Errorf("variable %s: %v", v, err)
		}
	}
	var tags []string
	for _, typ := range []reflect.Type{reflect.TypeFor[Env](), reflect.TypeFor[Stats](), reflect.TypeFor[Verification]()} {
		for f := range typ.Fields() {
			if tag := f.Tag.Get("expr"); tag != "" {
				tags = append(tags, tag)
			}
		}
	}
	slices.Sort(tags)
	listed := slices.Sorted(slices.Values(Variables))
	if !slices.Equal(tags, listed) {
		t.Errorf("Env fields %q\nVariables   %q", tags, listed)
	}
}
