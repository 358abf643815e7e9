package runner_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// rss5MBudget is the most resident memory the generator process may use
// for a backfill day of 5,000,000 visits (issue 12: memory is bounded
// whatever visits_per_day says).
const rss5MBudget = 200 << 20

// BenchmarkBackfillDayRSS5M runs `trafficinator apply` on a backfill day of
// 5,000,000 visits (bulk: 100, no rps limit) against `trafficinator sink`
// in a process of its own, and reads the generator's peak resident memory
// (VmHWM) from /proc every 250 ms. The run is bounded by --duration
// (TRAFFICINATOR_RSS5M_DURATION, default 90s): it does not send the whole
// day (35 million hits would take many minutes here), but it covers the
// first pass over the day's 5,000,000 indices, the placement of the
// first hours' visits (about 500,000 a pass), and the sending of them. Every
// later pass holds the same bounded amount, so the peak is the day's.
// peak-RSS-MiB is VmHWM sampled until the stop (what the budget applies
// to); peak-RSS-with-report-MiB includes the drain and the end-of-run
// report, whose resume ranges of a day cut in the middle grow with the
// visits sent (the journal of --state replaces them).
// Before the stream, the generator held every visit of the day, encoded,
// before the first was sent: several GiB for this day.
func BenchmarkBackfillDayRSS5M(b *testing.B) {
	if _, err := loadtest.ReadMemory("self"); err != nil {
		b.Skipf("no /proc here: %v", err)
	}
	d := 90 * time.Second
	if s := os.Getenv("TRAFFICINATOR_RSS5M_DURATION"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			b.Fatalf("TRAFFICINATOR_RSS5M_DURATION: %v", err)
		}
	}
	bin := buildCLI(b)
	const token = "0123456789abcdef0123456789abcdef"
	sinkURL := startSinkProcess(b, bin, token)
	dir := b.TempDir()
	scenarioPath := filepath.Join(dir, "day5m.yaml")
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: backfill-5m}
run:
  mode: backfill
  timezone: UTC
  seed: 5
  concurrency: 200
  backfill: {from: 2026-10-20, to: 2026-10-20, visits_per_day: 5000000}
targets:
  - {name: sink, kind: matomo, url: %q, site_id: 1, token_auth: %s, bulk: 100}
`, sinkURL+"/matomo.php", token)
	if err := os.WriteFile(scenarioPath, []byte(yaml), 0o600); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		out := filepath.Join(dir, "report.json")
		cmd := exec.Command(bin, "apply", scenarioPath, "--duration", d.String(), "--grace", "5s", "--format", "json", "--out", out)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		pid := fmt.Sprint(cmd.Process.Pid)
		// peak is VmHWM while the day is generated and sent (until the
		// stop at d); after is the whole run's, drain and report included.
		var peak, after atomic.Int64
		var done atomic.Bool
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for !done.Load() {
				if m, err := loadtest.ReadMemory(pid); err == nil {
					if time.Since(start) < d {
						peak.Store(max(peak.Load(), m.Peak))
					}
					after.Store(max(after.Load(), m.Peak))
				}
				time.Sleep(250 * time.Millisecond)
			}
		}()
		err := cmd.Wait()
		done.Store(true)
		<-sampled
		wall := time.Since(start)
		if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
			// 1: the day is incomplete, which a stop on --duration makes it.
			b.Fatalf("apply: %v (exit %d)\n%s", err, code, stderr.String())
		}
		rep, rerr := os.ReadFile(out)
		if rerr != nil {
			b.Fatalf("no report: %v\n%s", rerr, stderr.String())
		}
		ok := regexp.MustCompile(`"ok": (\d+)`).FindSubmatch(rep)
		reason := regexp.MustCompile(`"stop_reason": "(\w+)"`).FindSubmatch(rep)
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(float64(after.Load())/(1<<20), "peak-RSS-with-report-MiB")
		b.ReportMetric(wall.Seconds(), "wall-s")
		if ok != nil {
			var hits float64
			fmt.Sscan(string(ok[1]), &hits)
			b.ReportMetric(hits, "hits-ok")
		}
		if reason != nil {
			b.Logf("stop reason %s after %s", reason[1], wall.Round(time.Second))
		}
		if peak.Load() > rss5MBudget {
			b.Errorf("peak RSS %.1f MiB on a 5,000,000-visit day, budget %d MiB", float64(peak.Load())/(1<<20), rss5MBudget>>20)
		}
	}
	b.ReportMetric(0, "ns/op")
}

// buildCLI builds the trafficinator binary into a temporary folder.
func buildCLI(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "trafficinator")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/trafficinator/trafficinator/cmd/trafficinator")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startSinkProcess runs `trafficinator sink` on a free 127.0.0.1 port,
// with token valid for site 1, and returns its base URL.
func startSinkProcess(tb testing.TB, bin, token string) string {
	tb.Helper()
	cmd := exec.Command(bin, "sink", "--listen", "127.0.0.1:0", "--site", "1", "--token", token)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() {
		tb.Fatalf("the sink said nothing: %v", sc.Err())
	}
	m := regexp.MustCompile(`listening on (http://\S+) `).FindStringSubmatch(sc.Text())
	if m == nil {
		tb.Fatalf("the sink said %q", sc.Text())
	}
	go func() { // keep reading, so that the sink never blocks on its stdout
		for sc.Scan() {
		}
	}()
	return m[1]
}
