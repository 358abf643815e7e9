package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
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
// second of fixed rps values and of auto; auto_vs_best is auto's rate over
// the best fixed one (the fixed runs with 400 visits in flight allowed;
// rps=none is the run without rps, bound by those 400 alone).
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
			best := 0.0
			for _, rps := range []string{"500", "1000", "2000", "4000", "8000", "", "auto"} {
				_, url := limitedSink(b, 0, 0)
				// 400 visits in flight: the fixed rates, not concurrency,
				// bound the fixed runs (auto sets its own limit).
				// Each run stops after 5 s (run.duration) of a day too big
				// to finish: the rate is its visits over its duration.
				src := strings.Replace(autoScenario(url, "200000", rps, 100, 400), "  mode: backfill\n", "  mode: backfill\n  duration: 5s\n", 1)
				rep := runBF(b, context.Background(), bfCompile(b, src, bfClock), Options{RunID: "bench-sweep-" + rps})
				rate := float64(rep.Total.Counters.Visits) / rep.Run.DurationS
				name := rps
				if name == "" {
					name = "none" // no rps: as fast as 400 in flight allow
				}
				b.ReportMetric(rate, fmt.Sprintf("visits/s@rps=%s", name))
				if rps != "auto" {
					best = max(best, rate)
				} else {
					b.ReportMetric(rate/best, "auto_vs_best")
				}
			}
		}
	})
}
