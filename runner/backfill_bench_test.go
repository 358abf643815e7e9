package runner

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// BenchmarkBackfill30Days runs a 30-day backfill of 2,000 visits a day
// with bulk: 100 against the built-in sink, as fast as it goes (no rps).
// One iteration is the whole run; it reports the wall time and hits per
// second (of wall and of CPU time), and fails unless every day is complete and the sink recorded
// every hit on its day. TRAFFICINATOR_BENCH_CONCURRENCY sets
// run.concurrency (default 200).
func BenchmarkBackfill30Days(b *testing.B) {
	conc := 200
	if s := os.Getenv("TRAFFICINATOR_BENCH_CONCURRENCY"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("TRAFFICINATOR_BENCH_CONCURRENCY: %v", err)
		}
		conc = n
	}
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: backfill-bench}
run:
  mode: backfill
  timezone: Europe/Stockholm
  seed: 5
  concurrency: %d
  backfill: {from: 2026-10-01, to: 2026-10-30, visits_per_day: 2000}
targets:
  - {name: sink, kind: sink, site_id: 1, token_auth: %s, bulk: 100}
`, conc, bfToken)
	var wall, cpu time.Duration
	var hits int64
	for b.Loop() {
		p := bfCompile(b, yaml, bfClock)
		start, cpu0 := time.Now(), loadtest.ProcessCPU()
		rep := runBF(b, context.Background(), p, Options{RunID: "bench"})
		wall += time.Since(start)
		cpu += loadtest.ProcessCPU() - cpu0
		hits += rep.Total.Counters.OK
		for _, d := range rep.Backfill.Days {
			if !d.Complete || d.Delivered != 2000 {
				b.Fatalf("day %+v not complete", d)
			}
		}
		st, ok := rep.Sinks[0].Stats.(targets.SinkStats)
		if !ok {
			b.Fatalf("sink stats of type %T", rep.Sinks[0].Stats)
		}
		perDay := st.Sites[0].HitsPerDay
		var recorded int64
		for _, d := range rep.Backfill.Days {
			if perDay[d.Date] != d.OK {
				b.Fatalf("%s: the sink recorded %d hits, the report says %d", d.Date, perDay[d.Date], d.OK)
			}
			recorded += perDay[d.Date]
		}
		if recorded != rep.Total.Counters.OK || len(perDay) != 30 {
			b.Fatalf("the sink recorded %d hits on %d days, the run sent %d", recorded, len(perDay), rep.Total.Counters.OK)
		}
	}
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/op")
	b.ReportMetric(float64(hits)/wall.Seconds(), "hits/s")
	if cpu > 0 {
		// Engine and sink share the process: hits per CPU second holds on
		// a shared machine where the wall-time rate falls with its load.
		b.ReportMetric(float64(hits)/cpu.Seconds(), "hits/cpu-s")
	}
}
