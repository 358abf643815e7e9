package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// report diff sets what Matomo should show of each run (counters.sent)
// side by side, in JSON and in the table, and never fails on it.
func TestDiffShowsRecordedFigures(t *testing.T) {
	withSent := func(tg report.Target, visits, orders, cents int64) report.Target {
		tg.Counters.Sent = metrics.Sent{Visits: visits, Orders: orders, RevenueCents: cents}
		return tg
	}
	base := crafted("base", withSent(tgt("total", 990, 10, 20, 100, 150, 10), 1200, 40, 123450),
		withSent(tgt("eu", 990, 10, 20, 100, 150, 10), 1200, 40, 123450))
	cur := crafted("cur", withSent(tgt("total", 970, 30, 22, 125, 160, 9), 1140, 40, 130000),
		withSent(tgt("eu", 970, 30, 22, 125, 160, 9), 1140, 40, 130000))

	d := report.Compare(base, cur, report.Thresholds{MaxErrorRateIncrease: pct(0.5)})
	row := d.Rows[0]
	if row.RecordedVisits.Baseline != 1200 || row.RecordedVisits.Current != 1140 || *row.RecordedVisits.DeltaPct != -5 ||
		row.RecordedOrders.Delta != 0 || row.RecordedRevenue.Baseline != 1234.5 || row.RecordedRevenue.Current != 1300 {
		t.Errorf("recorded %+v %+v %+v", row.RecordedVisits, row.RecordedOrders, row.RecordedRevenue)
	}
	if d.ExitCode() != 0 {
		t.Errorf("fewer recorded visits made the diff fail: %+v", d.Regressions)
	}
	var b bytes.Buffer
	if err := report.WriteDiffTable(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"│ recorded │       visits        │     orders      │          revenue          │",
		"│ eu       │ 1200 → 1140 (-5.0%) │ 40 → 40 (+0.0%) │ 1234.50 → 1300.00 (+5.3%) │",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("diff table without\n%s\n%s", want, b.String())
		}
	}
	// Runs that recorded nothing (a crafted or a file-only run) get no
	// recorded table.
	b.Reset()
	if err := report.WriteDiffTable(&b, report.Compare(crafted("a", tgt("total", 1, 0, 1, 1, 1, 1)), crafted("b", tgt("total", 1, 0, 1, 1, 1, 1)), report.Thresholds{})); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "recorded") {
		t.Errorf("a recorded table without recorded visits:\n%s", b.String())
	}
}
