package report_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// tgt crafts a report target: ok and failed hits, p50/p95/p99 in ms and
// an achieved rate.
func tgt(name string, ok, failed int64, p50, p95, p99, rate float64) report.Target {
	return report.Target{
		Name:     name,
		Counters: metrics.Counters{OK: ok, Failed: failed, Hits: ok + failed, Requests: ok + failed},
		Latency:  report.Latency{P50: p50, P95: p95, P99: p99},
		Planned:  report.Comparison{Rate: report.Pair{Planned: 10, Achieved: rate}},
	}
}

func crafted(id string, total report.Target, targets ...report.Target) report.Input {
	r := &report.Report{Version: report.Version, Scenario: report.ScenarioInfo{Name: "shop", Digest: digestA},
		Run: report.RunInfo{ID: id, Outcome: "passed"}, Targets: targets, Total: total}
	return report.Input{Source: id + ".json", Report: r}
}

func pct(v float64) *float64 { return &v }

func TestDiffChecksOnlyTheThresholdsGiven(t *testing.T) {
	base := crafted("base", tgt("total", 990, 10, 20, 100, 150, 10), tgt("eu", 990, 10, 20, 100, 150, 10))
	cur := crafted("cur", tgt("total", 970, 30, 22, 125, 160, 9), tgt("eu", 970, 30, 22, 125, 160, 9))

	d := report.Compare(base, cur, report.Thresholds{})
	if d.ExitCode() != 0 || len(d.Regressions) != 0 {
		t.Fatalf("no thresholds: exit %d, %+v", d.ExitCode(), d.Regressions)
	}
	row := d.Rows[0]
	if row.Target != "eu" || row.Presence != "both" || row.P95Ms.Delta != 25 || *row.P95Ms.DeltaPct != 25 ||
		row.P50Ms.Current != 22 || row.P99Ms.Baseline != 150 || !row.P95Ms.HasData {
		t.Errorf("row %+v p95 %+v", row, row.P95Ms)
	}
	if row.ErrorRate.Baseline != 0.01 || row.ErrorRate.Current != 0.03 || math.Abs(row.ErrorRate.Delta-0.02) > 1e-15 {
		t.Errorf("error rate %+v", row.ErrorRate)
	}
	if row.AchievedRate.Baseline != 10 || row.AchievedRate.Current != 9 || *row.AchievedRate.DeltaPct != -10 {
		t.Errorf("achieved rate %+v", row.AchievedRate)
	}
	if d.Rows[1].Target != "total" || len(d.Rows) != 2 {
		t.Errorf("rows %+v", d.Rows)
	}

	d = report.Compare(base, cur, report.Thresholds{MaxP95IncreasePct: pct(20)})
	want := []string{
		"eu: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%",
		"total: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%",
	}
	assertRegressions(t, d, want)
	if d.Regressions[0].Metric != "p95_ms" || d.Regressions[0].Threshold != "--max-p95-increase 20%" || d.ExitCode() != 1 {
		t.Errorf("regression %+v exit %d", d.Regressions[0], d.ExitCode())
	}

	assertRegressions(t, report.Compare(base, cur, report.Thresholds{MaxP95IncreasePct: pct(25)}), nil) // 25 % is allowed
	assertRegressions(t, report.Compare(base, cur, report.Thresholds{MaxP95IncreaseMs: pct(20)}), []string{
		"eu: p95 100 → 125 ms (+25.000 ms) exceeds --max-p95-increase 20ms",
		"total: p95 100 → 125 ms (+25.000 ms) exceeds --max-p95-increase 20ms",
	})
	assertRegressions(t, report.Compare(base, cur, report.Thresholds{MaxErrorRateIncrease: pct(0.01)}), []string{
		"eu: error rate 1.00% → 3.00% (+2.00 points) exceeds --max-error-rate-increase 0.01",
		"total: error rate 1.00% → 3.00% (+2.00 points) exceeds --max-error-rate-increase 0.01",
	})
	assertRegressions(t, report.Compare(base, cur, report.Thresholds{MaxErrorRateIncrease: pct(0.02)}), nil) // 0.03 - 0.01 is 0.02 despite floats
	// An improvement is never a regression.
	assertRegressions(t, report.Compare(cur, base, report.Thresholds{MaxP95IncreasePct: pct(0), MaxErrorRateIncrease: pct(0)}), nil)
}

func assertRegressions(t *testing.T, d *report.Diff, want []string) {
	t.Helper()
	var got []string
	for _, r := range d.Regressions {
		got = append(got, r.Message)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("regressions\n got %q\nwant %q", got, want)
	}
	if wantExit := min(len(want), 1); d.ExitCode() != wantExit {
		t.Errorf("exit %d, want %d", d.ExitCode(), wantExit)
	}
}

// Targets are matched by name; a target on one side only is listed and
// not checked, and figures without samples are not checked either.
func TestDiffMatchesTargetsByNameAndSkipsNoData(t *testing.T) {
	base := crafted("base", tgt("total", 100, 0, 1, 10, 20, 5), tgt("eu", 100, 0, 1, 10, 20, 5), tgt("old", 100, 0, 1, 10, 20, 5))
	cur := crafted("cur", tgt("total", 100, 0, 1, 10, 20, 5), tgt("new", 100, 0, 1, 99, 99, 5), tgt("eu", 0, 0, 0, 0, 0, 0))
	d := report.Compare(base, cur, report.Thresholds{MaxP95IncreasePct: pct(1), MaxP95IncreaseMs: pct(1), MaxErrorRateIncrease: pct(0)})
	var rows []string
	for _, r := range d.Rows {
		rows = append(rows, r.Target+":"+r.Presence)
	}
	if strings.Join(rows, " ") != "eu:both old:baseline new:current total:both" {
		t.Errorf("rows %v", rows)
	}
	if d.Rows[0].P95Ms.HasData || d.Rows[0].ErrorRate.HasData || d.Rows[0].P95Ms.DeltaPct == nil {
		t.Errorf("eu without samples: %+v", d.Rows[0].P95Ms)
	}
	if d.Rows[1].P95Ms != nil || d.Rows[2].P95Ms != nil {
		t.Errorf("one-sided rows have changes: %+v", d.Rows[1:3])
	}
	assertRegressions(t, d, nil)
}

func TestDiffTable(t *testing.T) {
	base := crafted("base", tgt("total", 990, 10, 20, 100, 150, 10), tgt("eu", 990, 10, 20, 100, 150, 10), tgt("old", 1, 0, 1, 1, 1, 1))
	cur := crafted("cur", tgt("total", 970, 30, 22, 125, 160, 9), tgt("eu", 970, 30, 22, 125, 160, 9))
	var b bytes.Buffer
	if err := report.WriteDiffTable(&b, report.Compare(base, cur, report.Thresholds{MaxP95IncreasePct: pct(20), MaxErrorRateIncrease: pct(0.05)})); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Baseline base.json: scenario shop, run base, passed\n",
		"Current  cur.json: scenario shop, run cur, passed\n",
		"Thresholds: at most p95 +20%, error rate +0.05\n",
		"│ eu     │ 20 → 22 (+10.0%) │ 100 → 125 (+25.0%) │ 150 → 160 (+6.7%) │ 1.00% → 3.00% (+2.00 pt) │ 10.00 → 9.00 (-10.0%) │ REGRESSION (p95_ms) │",
		"│ old    │",
		"only in baseline",
		"REGRESSION eu: p95 100 → 125 ms (+25.0%) exceeds --max-p95-increase 20%\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	b.Reset()
	_ = report.WriteDiffTable(&b, report.Compare(base, base, report.Thresholds{}))
	if !strings.Contains(b.String(), "Thresholds: none given, nothing is checked\n") || !strings.HasSuffix(b.String(), "\nNo regression.\n") {
		t.Errorf("no thresholds:\n%s", b.String())
	}
}
