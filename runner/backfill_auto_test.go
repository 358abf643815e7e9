package runner

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
)

func TestSettleMedianOfSecondHalfAndConvergence(t *testing.T) {
	// 10 seconds: a ramp, then about 40 a second.
	perSec := []int64{2, 6, 14, 30, 38, 41, 40, 39, 40, 42}
	settled, converged := settle(perSec)
	// Second half 41 40 39 40 42: median 40. A 5-second average first
	// reaches 36 at second 8: (30+38+41+40+39)/5 = 37.6 (second 7 gives
	// (14+30+38+41+40)/5 = 32.6).
	if settled != 40 || converged != 8 {
		t.Errorf("settle = %v, %v; want 40 and 8", settled, converged)
	}
	if s, c := settle(nil); s != 0 || c != 0 {
		t.Errorf("settle(nil) = %v, %v", s, c)
	}
	if s, _ := settle([]int64{1, 3, 5, 7}); s != 6 {
		t.Errorf("even half: settled %v, want 6", s)
	}
}

func TestBackfillRPSCeiling(t *testing.T) {
	for _, c := range []struct {
		bf   plan.Backfill
		max  float64
		want float64
	}{
		{plan.Backfill{AutoRPS: true}, 0, 0},
		{plan.Backfill{AutoRPS: true}, 50, 50},
		{plan.Backfill{RPS: 20}, 0, 20},
		{plan.Backfill{RPS: 20}, 50, 20},
		{plan.Backfill{RPS: 20}, 5, 5},
		{plan.Backfill{}, 7, 7},
	} {
		if got := backfillRPS(&c.bf, c.max); got != c.want {
			t.Errorf("rps %v auto %v, --max-rps %v: %v, want %v", c.bf.RPS, c.bf.AutoRPS, c.max, got, c.want)
		}
	}
}

// limitedSink serves a sink of site 1 (with the test token) limited to
// maxRate tracking requests a second.
func limitedSink(tb testing.TB, maxRate float64, latency time.Duration) (*targets.Sink, string) {
	tb.Helper()
	s, err := targets.NewSink(targets.SinkOptions{
		Sites:   []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}, Timezone: "UTC"}},
		MaxRate: maxRate, Latency: latency,
	})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return s, srv.URL + "/matomo.php"
}

// autoScenario is a one-day backfill of perDay visits with rps (a number,
// or auto).
func autoScenario(url, perDay, rps string, bulk, concurrency int) string {
	src := bfScenario(bfSpec{Targets: []string{url}, Timezone: "UTC", Window: "from: 2026-11-10, to: 2026-11-10",
		PerDay: perDay, Uniform: true, Bulk: bulk, Concurrency: concurrency})
	if rps != "" {
		src = strings.Replace(src, "visits_per_day: "+perDay, "visits_per_day: "+perDay+", rps: "+rps, 1)
	}
	return src
}

// TestBackfillRPSAutoAgainstTheCapacityLimiter: rps: auto delivers every
// visit to a sink that refuses what comes above its capacity, and the
// report says what rate it settled on.
func TestBackfillRPSAutoAgainstTheCapacityLimiter(t *testing.T) {
	s, url := limitedSink(t, 300, 2*time.Millisecond)
	p := bfCompile(t, autoScenario(url, "150", "auto", 0, 50), bfClock)
	if !p.Backfill.AutoRPS {
		t.Fatal("the plan lost rps: auto")
	}
	rep := runBF(t, context.Background(), p, Options{RunID: "auto"})
	d := rep.Backfill.Days[0]
	if rep.Run.StopReason != "completed" || d.Planned != 150 || d.Delivered != 150 {
		t.Fatalf("stop %q, day %+v: want completed, 150 of 150 delivered", rep.Run.StopReason, d)
	}
	a := rep.Backfill.Auto
	if a == nil || a.Limit < 1 || a.MaxRPS != 0 {
		t.Fatalf("auto %+v: want the limiter's result, without a ceiling", a)
	}
	st := s.Stats()
	if recorded := st.Requests - s.OverCapacity(); recorded != rep.Total.Counters.OK {
		t.Errorf("the sink took %d requests, the report has %d hits ok", recorded, rep.Total.Counters.OK)
	}
	var text strings.Builder
	if err := report.WriteTable(&text, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "rps auto: settled at ") {
		t.Errorf("the table does not say where rps auto settled:\n%s", text.String())
	}
}

// TestBackfillMaxRPSCapsAuto: --max-rps is the ceiling of rps: auto.
func TestBackfillMaxRPSCapsAuto(t *testing.T) {
	_, url := limitedSink(t, 0, 0)
	p := bfCompile(t, autoScenario(url, "40", "auto", 0, 50), bfClock)
	start := time.Now()
	rep := runBF(t, context.Background(), p, Options{RunID: "maxrps", MaxRPS: 20})
	// 40 visits at 20 a second: the 40th starts 1.95 s after the first.
	if el := time.Since(start); el < 1900*time.Millisecond {
		t.Errorf("40 visits at --max-rps 20 took %v, want at least 1.9s", el)
	}
	if a := rep.Backfill.Auto; a == nil || a.MaxRPS != 20 || rep.Backfill.Days[0].Delivered != 40 {
		t.Errorf("auto %+v, day %+v", a, rep.Backfill.Days[0])
	}
}
