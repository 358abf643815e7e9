package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// BenchmarkBackfillJournal measures what the journal (--state) costs a
// bulk backfill: alternating rounds of the same 5-day backfill (2,000
// visits a day, bulk: 100, against the built-in sink) with the journal on
// a real disk and without one (the accounting kept in memory only), the
// order swapped every round; it reports the median of the per-round
// ratios of hits/s, journal on over off (.ci/bench-ratios.txt wants it ≥
// 0.95: the journal costs under 5 %). TRAFFICINATOR_BENCH_ROUNDS sets the
// rounds (default 7).
func BenchmarkBackfillJournal(b *testing.B) {
	dir := journalBenchDir(b)
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: backfill-journal-bench}
run:
  mode: backfill
  timezone: Europe/Stockholm
  seed: 5
  concurrency: 200
  backfill: {from: 2026-10-01, to: 2026-10-05, visits_per_day: 2000}
targets:
  - {name: sink, kind: sink, site_id: 1, token_auth: %s, bulk: 100}
`, bfToken)
	rounds := 7
	if s := os.Getenv("TRAFFICINATOR_BENCH_ROUNDS"); s != "" {
		if _, err := fmt.Sscan(s, &rounds); err != nil || rounds < 1 {
			b.Fatalf("TRAFFICINATOR_BENCH_ROUNDS %q", s)
		}
	}
	run := func(state string) (float64, float64) {
		p := bfCompile(b, yaml, bfClock)
		start, cpu0 := time.Now(), loadtest.ProcessCPU()
		rep := runBF(b, context.Background(), p, Options{RunID: "bench", State: state})
		wall, cpu := time.Since(start), loadtest.ProcessCPU()-cpu0
		for _, d := range rep.Backfill.Days {
			if !d.Complete || d.Delivered != 2000 {
				b.Fatalf("day %+v not complete", d)
			}
		}
		hits := float64(rep.Total.Counters.OK)
		return hits / wall.Seconds(), hits / cpu.Seconds()
	}
	var on, off, ratio, ratioCPU []float64
	for range b.N {
		for r := range rounds {
			state := filepath.Join(dir, fmt.Sprintf("round%d.state", r))
			var onW, onC, offW, offC float64
			if r%2 == 0 {
				onW, onC = run(state)
				offW, offC = run("")
			} else {
				offW, offC = run("")
				onW, onC = run(state)
			}
			on, off = append(on, onW), append(off, offW)
			ratio, ratioCPU = append(ratio, onW/offW), append(ratioCPU, onC/offC)
			b.Logf("round %d: journal %.0f hits/s, none %.0f hits/s, ratio %.3f (per CPU second %.3f)", r+1, onW, offW, onW/offW, onC/offC)
		}
	}
	b.ReportMetric(medianOf(on), "journal-hits/s")
	b.ReportMetric(medianOf(off), "none-hits/s")
	b.ReportMetric(medianOf(ratio), "ratio")
	b.ReportMetric(medianOf(ratioCPU), "ratio-per-cpu-s")
	b.ReportMetric(0, "ns/op")
}

// journalBenchDir is a folder on a real disk: the journal's cost is its
// writes and fsyncs, which tmpfs makes free.
func journalBenchDir(b *testing.B) string {
	const tmpfsMagic = 0x01021994
	for _, base := range []string{os.TempDir(), "/var/tmp"} {
		var st syscall.Statfs_t
		if err := syscall.Statfs(base, &st); err != nil || st.Type == tmpfsMagic {
			continue
		}
		dir, err := os.MkdirTemp(base, "journal-bench-")
		if err != nil {
			continue
		}
		b.Cleanup(func() { _ = os.RemoveAll(dir) })
		return dir
	}
	b.Skip("no folder on a real disk (the temporary folder and /var/tmp are tmpfs)")
	return ""
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
