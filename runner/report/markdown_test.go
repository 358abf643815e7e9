package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// markdownReport is a failed, verified run of two targets, one disabled
// by a policy, with a warning and names that need escaping.
func markdownReport() *Report {
	r := verifiedReport()
	r.Scenario = ScenarioInfo{Name: "shop|eu", File: "scenarios/shop.yaml"}
	r.Run = RunInfo{ID: "r-1", Seed: 7, Mode: "realtime", DurationS: 61.04, StopReason: "policy", Outcome: "failed", ExitCode: 1,
		PlannedVisits: 120.4, PlannedRate: 2, AchievedRate: 1.95}
	r.Warnings = []string{"target <old> failed the preflight: *skipped*"}
	r.Targets[0].Health, r.Targets[0].Counters = "healthy", metrics.Counters{Visits: 100, Hits: 300, OK: 297, Failed: 3, Retries: 4}
	r.Targets[0].Latency.P95 = 12.345
	r.Targets[1].Health, r.Targets[1].Counters = "failing", metrics.Counters{Visits: 10, Dropped: 2, Hits: 20, OK: 10, Rejected: 5, Unknown: 5, Unsent: 1, DroppedHits: 3}
	r.Targets[1].Disabled = &Disabled{ElapsedS: 30.4, Policy: "us-errors"}
	r.Targets = r.Targets[:2]
	r.Total = Target{Name: "total", Share: 1, Health: "", Counters: metrics.Counters{Visits: 110, Dropped: 2, Hits: 320, OK: 307, Rejected: 5, Failed: 3, Unknown: 5, Unsent: 1, DroppedHits: 3}}
	r.Policies = []gates.Firing{
		{Policy: "us-errors", Target: "us", Action: "disable_target", When: "error_rate > 0.1 || p95 > 500", ElapsedS: 30.4, Phase: "live",
			Values: map[string]float64{"error_rate": 0.5, "p95": 3.25}, Effect: "target us disabled"},
		{Policy: "verified", Action: "fail", When: "verify.status == `verified`", Phase: "end", Values: map[string]float64{}},
	}
	r.Verification.Targets = map[string]int{"mismatch": 1, "skipped": 1}
	return r
}

// The summary of a run, byte for byte: it is what CI pages show.
func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, markdownReport()); err != nil {
		t.Fatal(err)
	}
	want := "### Trafficinator: shop\\|eu FAILED\n" +
		"\n" +
		"**Outcome: FAILED** (policy) after 61.0s, exit code 1.  \n" +
		"Scenario `scenarios/shop.yaml`, run `r-1`, seed 7, realtime mode.  \n" +
		"Visits: 120 planned, 112 due (1.95/s achieved vs 2.00/s planned).\n" +
		"\n" +
		"- **Warning:** target &lt;old&gt; failed the preflight: \\*skipped\\*\n" +
		"\n" +
		"| target | health | visits | sent | ok | rejected | failed | unknown | unsent | dropped hits | error rate | p95 ms |\n" +
		"|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n" +
		"| eu | healthy | 100 | 300 | 297 | 0 | 3 | 0 | 0 | 0 | 1.00% | 12.3 |\n" +
		"| us | disabled at 30s | 10 | 20 | 10 | 5 | 0 | 5 | 1 | 3 | 50.00% | 0.0 |\n" +
		"| **total** |  | 110 | 320 | 307 | 5 | 3 | 5 | 1 | 3 | 4.06% | 0.0 |\n" +
		"\n" +
		"#### Policies fired\n" +
		"\n" +
		"| at | policy | target | action | when | values | effect |\n" +
		"|---|---|---|---|---|---|---|\n" +
		"| 30s | us-errors | us | disable_target | `error_rate > 0.1 \\|\\| p95 > 500` | error_rate=0.5 p95=3.25 | target us disabled |\n" +
		"| end | verified | (run) | fail | `verify.status == 'verified'` |  |  |\n" +
		"\n" +
		"#### Verification: NOT_ARCHIVED\n" +
		"\n" +
		"1 mismatch, 1 skipped; 5 sampled visits checked, 1 recorded otherwise.\n" +
		"\n" +
		"| target | status | visits expected | visits recorded | ratio | mismatches | reason |\n" +
		"|---|---|--:|--:|--:|--:|---|\n" +
		"| eu | mismatch | 100 | 98 | 0.98 | 1 |  |\n" +
		"| us | skipped |  |  |  | 0 | target us has no verify_token and no token_auth |\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A run without policies fired nor verification says so in one line and
// has no verification section.
func TestWriteMarkdownPassed(t *testing.T) {
	r := &Report{Scenario: ScenarioInfo{Name: "quick", File: "q.yaml"}, Run: RunInfo{ID: "r", Mode: "realtime", StopReason: "completed", Outcome: "passed"},
		Targets: []Target{{Name: "sink", Health: "healthy", Counters: metrics.Counters{Visits: 2, Hits: 4, OK: 4}}},
		Total:   Target{Name: "total", Counters: metrics.Counters{Visits: 2, Hits: 4, OK: 4}}}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "### Trafficinator: quick PASSED\n\n" +
		"**Outcome: PASSED** (completed) after 0.0s, exit code 0.  \n" +
		"Scenario `q.yaml`, run `r`, seed 0, realtime mode.  \n" +
		"Visits: 0 planned, 2 due (0.00/s achieved vs 0.00/s planned).\n\n" +
		"| target | health | visits | sent | ok | rejected | failed | unknown | unsent | dropped hits | error rate | p95 ms |\n" +
		"|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n" +
		"| sink | healthy | 2 | 4 | 4 | 0 | 0 | 0 | 0 | 0 | 0.00% | 0.0 |\n" +
		"| **total** |  | 2 | 4 | 4 | 0 | 0 | 0 | 0 | 0 | 0.00% | 0.0 |\n\n" +
		"Policies: none fired.\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// Whatever a name or message holds, its cell stays one cell on one row:
// no newline, and every pipe escaped by an odd number of backslashes.
func FuzzMarkdownCell(f *testing.F) {
	for _, s := range []string{"a|b", "a\\|b", "x\\", "line\nline\r", "`code`", "<b>*x*</b> [l](u)", "\\\\|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, cell := range []string{mdText(s), mdCode(s)} {
			if strings.ContainsAny(cell, "\r\n") {
				t.Fatalf("%q: a newline in %q", s, cell)
			}
			for i := 0; i < len(cell); i++ {
				if cell[i] != '|' {
					continue
				}
				n := 0
				for j := i - 1; j >= 0 && cell[j] == '\\'; j-- {
					n++
				}
				if n%2 == 0 {
					t.Fatalf("%q: an unescaped pipe in %q", s, cell)
				}
			}
		}
		if strings.Contains(mdCode(s), "`") {
			t.Fatalf("%q: a backtick ends the code span", s)
		}
	})
}
