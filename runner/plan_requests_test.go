package runner

import (
	"context"
	"math"
	"testing"
)

// TestPlanRequestsOfABulkBackfill holds the plan's requests of bulk
// backfills against what the run sent: exact when one visit is in flight
// at a time (concurrency 1, or an rps limit slower than a batch's wait),
// within 15 % when visits in flight share requests by timing (5 % on a
// quiet machine; a loaded one flushes batches earlier, seen: 30 planned,
// 33 sent).
func TestPlanRequestsOfABulkBackfill(t *testing.T) {
	if testing.Short() {
		t.Skip("paces a backfill for about 4 s")
	}
	for _, c := range []struct {
		conc, bulk int
		rps        float64
		perDay     string
		exact      bool
	}{
		{conc: 1, bulk: 20, perDay: "60", exact: true},
		{conc: 1, bulk: 5, perDay: "60", exact: true},
		{conc: 20, bulk: 100, perDay: "200"},
		{conc: 8, bulk: 20, perDay: "100"},
		{conc: 50, bulk: 5, perDay: "100"},
		// 400 ms between visits, twice a batch's wait: a visit per request.
		{conc: 20, bulk: 20, rps: 2.5, perDay: "5", exact: true},
	} {
		cap := startCapture(t, "Europe/Stockholm")
		p := bfCompile(t, bfScenario(bfSpec{Targets: []string{cap.url}, Window: "from: 2026-10-24, to: 2026-10-25",
			PerDay: c.perDay, Bulk: c.bulk, Concurrency: c.conc, RPS: c.rps}), bfClock)
		rep := runBF(t, context.Background(), p, Options{RunID: "req"})
		planned, sent := p.Expected.Requests, float64(rep.Total.Counters.Requests)
		switch {
		case c.exact && planned != sent:
			t.Errorf("concurrency %d, bulk %d, rps %g: planned %v requests, sent %v", c.conc, c.bulk, c.rps, planned, sent)
		case !c.exact && math.Abs(planned-sent) > 0.15*sent:
			t.Errorf("concurrency %d, bulk %d: planned %v requests, sent %v: more than 15%% apart", c.conc, c.bulk, planned, sent)
		}
		t.Logf("concurrency %d, bulk %d, rps %g: planned %v requests, sent %v", c.conc, c.bulk, c.rps, planned, sent)
		if p.Targets[0].Expected.Requests != planned {
			t.Errorf("target %v, total %v", p.Targets[0].Expected.Requests, planned)
		}
	}
}
