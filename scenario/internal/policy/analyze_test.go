package policy

import (
	"reflect"
	"testing"
	"time"
)

func TestAnalyze(t *testing.T) {
	cases := []struct {
		when    string
		vars    []string
		spans   []time.Duration
		sampled bool
	}{
		{"requests > 10", []string{"requests"}, nil, false},
		{"error_rate > 0.05 && requests >= 200", []string{"error_rate", "requests"}, nil, true},
		{`window("1m").p95_ms > 800 || dropped > 0`, []string{"dropped", `window("1m").p95_ms`}, []time.Duration{time.Minute}, true},
		{`error_rate_over("5m") > 0.1 && target == "eu"`, []string{`error_rate_over("5m")`, "target"}, []time.Duration{5 * time.Minute}, true},
		{`status["500"] > 3`, []string{"status"}, nil, false},
	}
	for _, c := range cases {
		if _, err := Compile(c.when); err != nil {
			t.Fatalf("%s: %v", c.when, err)
		}
		got := Analyze(c.when)
		if !reflect.DeepEqual(got.Vars, c.vars) || !reflect.DeepEqual(got.Spans, c.spans) || got.Sampled != c.sampled {
			t.Errorf("Analyze(%q) = %+v, want vars %v spans %v sampled %v", c.when, got, c.vars, c.spans, c.sampled)
		}
	}
}

// A policy that reads a verification figure is evaluated only at the end
// of a run, once Matomo was asked.
func TestAnalyzeEndOnly(t *testing.T) {
	for when, want := range map[string]bool{
		"recorded_ratio < 0.99":                  true,
		"visits > 0 && sample_mismatches > 0":    true,
		"revenue_ratio != 1 || orders_ratio < 1": true,
		"actions_ratio < 1":                      true,
		"visits > 0 && error_rate > 0.1":         false,
	} {
		if _, err := Compile(when); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got := Analyze(when).EndOnly; got != want {
			t.Errorf("Analyze(%q).EndOnly = %v", when, got)
		}
	}
}
