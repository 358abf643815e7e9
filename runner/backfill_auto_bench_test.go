package runner

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// BenchmarkAutoRate measures rps: auto (run with -benchtime=1x; each run
// takes its own time, not b.N's).
//
// capacity: against the sink's capacity limiter (400 tracking requests a
// second, 2ms idle latency growing to 40ms near it), the rate it settled
// on as a share of the capacity, the share of requests refused over
// capacity, and the seconds it took to converge.
//
// sweep: against the sink without the limiter, bulk 100, the visits a
// second of fixed rps values, then five pairs of runs of no rps (the
// fastest fixed run, bound only by its 400 visits in flight) and of auto,
// in alternating order, each measured over 4 s of steady sending
// (sweepRun); auto_vs_best is the median over the pairs of auto's rate
// over the best fixed one, auto_vs_best_min the worst pair.
func BenchmarkAutoRate(b *testing.B) {
	b.Run("capacity", func(b *testing.B) {
		const capacity = 400.0
		for range b.N {
			s, url := limitedSink(b, capacity, 2*time.Millisecond)
			p := bfCompile(b, autoScenario(url, "3000", "auto", 0, 50), bfClock)
			rep := runBF(b, context.Background(), p, Options{RunID: "bench-auto"})
			st := s.Stats()
			a := rep.Backfill.Auto
			taken := float64(st.Requests - s.OverCapacity())
			perVisit := taken / float64(rep.Total.Counters.Visits)
			b.ReportMetric(a.SettledRPS*perVisit/capacity, "settled/capacity")
			b.ReportMetric(float64(s.OverCapacity())/float64(st.Requests), "refused/requests")
			b.ReportMetric(a.ConvergedS, "converge_s")
			b.ReportMetric(a.SettledRPS, "settled_visits/s")
			b.ReportMetric(rep.Run.DurationS, "run_s")
		}
	})
	b.Run("sweep-bulk100", func(b *testing.B) {
		for range b.N {
			// The sweep: fixed rates, once each.
			best := 0.0
			for _, rps := range []string{"1000", "4000", "16000"} {
				rate := sweepRun(b, rps)
				b.ReportMetric(rate, "visits/s@rps="+rps)
				best = max(best, rate)
			}
			// Then no rps (the fastest fixed run: only the 400 visits in
			// flight bound it) and auto, in pairs whose order alternates,
			// so that the machine's load, which drifts on a shared host,
			// weighs on both alike: auto_vs_best is the median of the
			// pairs' ratios.
			var ratios, nones, autos []float64
			for round := range sweepRounds {
				pair := []string{"", "auto"}
				if round%2 == 1 {
					pair = []string{"auto", ""}
				}
				var none, auto float64
				for _, rps := range pair {
					rate := sweepRun(b, rps)
					if rps == "auto" {
						auto = rate
					} else {
						none = rate
					}
				}
				nones, autos = append(nones, none), append(autos, auto)
				ratios = append(ratios, auto/max(best, none))
			}
			b.ReportMetric(median(nones), "visits/s@rps=none")
			b.ReportMetric(median(autos), "visits/s@rps=auto")
			b.ReportMetric(median(ratios), "auto_vs_best")
			b.ReportMetric(slices.Min(ratios), "auto_vs_best_min")
		}
	})
}

// The sweep's runs are measured over a window of steady sending: from
// sweepWarmup after the sink's first hit, for sweepWindow. A run's whole
// duration would also count the placing of its day's visits before the
// first one is sent (a second or more for a day this big, longer when the
// shared machine is busy), which varies from run to run more than the
// engines' rates do.
const (
	sweepRounds = 5
	sweepWarmup = time.Second
	sweepWindow = 4 * time.Second
)

// sweepRun runs a bulk-100 backfill at rps ("" for none, "auto") against
// the sink without its limiter, with 400 visits in flight allowed (the
// fixed rates, not concurrency, bound the fixed runs; auto sets its own
// limit), and returns its visits a second over the measuring window. The
// day is too big to finish in it; the run is stopped after it.
func sweepRun(b *testing.B, rps string) float64 {
	s, url := limitedSink(b, 0, 0)
	p := bfCompile(b, autoScenario(url, "300000", rps, 100, 400), bfClock)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		rep *report.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := Run(ctx, p, Options{RunID: "bench-sweep-" + rps, NoPreflight: true})
		done <- result{rep, err}
	}()
	hits := func() int64 { return s.Stats().Hits }
	for start := time.Now(); hits() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > time.Minute {
			b.Fatalf("rps=%s: no hit after a minute", rps)
		}
	}
	time.Sleep(sweepWarmup)
	h0, t0 := hits(), time.Now()
	time.Sleep(sweepWindow)
	h1, t1 := hits(), time.Now()
	cancel()
	res := <-done
	if res.err != nil {
		b.Fatalf("rps=%s: %v", rps, res.err)
	}
	c := res.rep.Total.Counters
	if c.Visits == 0 {
		b.Fatalf("rps=%s: no visit", rps)
	}
	perVisit := float64(c.Hits) / float64(c.Visits)
	return float64(h1-h0) / t1.Sub(t0).Seconds() / perVisit
}

// median of xs (which it sorts).
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
