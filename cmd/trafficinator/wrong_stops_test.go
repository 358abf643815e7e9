package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// Tests of issue 12, "What is wrong today", item 6 (stops that do not
// stop) and the second Ctrl-C of item 3.

const stopToken = "0123456789abcdef0123456789abcdef"

// silentTarget is a 127.0.0.1 tracker that never answers: each request
// waits until the client gives up. requests counts those that arrived.
func silentTarget(t *testing.T) (url string, requests *atomic.Int64) {
	t.Helper()
	requests = &atomic.Int64{}
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv.URL + "/matomo.php", requests
}

// answeringTarget is a 127.0.0.1 tracker that answers 204 at once.
func answeringTarget(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/matomo.php"
}

// backfillYAML is a backfill of three past days of perDay visits to url.
func backfillYAML(url string, perDay int, extra string) string {
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: stops}
run:
  mode: backfill
  timezone: UTC
  seed: 5
  concurrency: 10
  backfill: {from: 2026-10-01, to: 2026-10-03, visits_per_day: %d%s}
targets:
  - {name: t, kind: matomo, url: %q, site_id: 1, token_auth: %s}
traffic:
  pageviews: {min: 2, max: 2}
`, perDay, extra, url, stopToken)
}

// realtimeYAML runs rate visits/s for duration against url, visits of
// three pageviews 200 ms apart and a ping, and nothing else.
func realtimeYAML(url, rate, duration string, concurrency int) string {
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: stops}
run: {rate: %s, duration: %s, concurrency: %d, seed: 5}
targets:
  - {name: t, kind: matomo, url: %q, site_id: 1}
traffic:
  pageviews: {min: 3, max: 3}
  pause: {min: 200ms, max: 200ms}
  visit_duration: {min: 1s, max: 1s}
  features:
    site_search: false
    outlinks: false
    downloads: false
    click_events: false
    random_events: false
    ecommerce: false
`, rate, duration, concurrency, url)
}

func decodeReport(t *testing.T, data string) *report.Report {
	t.Helper()
	var r report.Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, data)
	}
	return &r
}

// cliBinary builds trafficinator into a temporary folder, for the tests
// that send it signals.
func cliBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trafficinator")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lockedBuffer is a bytes.Buffer that the test may read while the child
// writes to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// child is a trafficinator process with its outputs captured.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
	done           chan struct{}
}

func startChild(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// wait waits for the child to exit, at most limit, and returns its exit code.
func (c *child) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(limit):
		_ = c.cmd.Process.Kill()
		<-c.done
		t.Fatalf("still running after %s\nstderr:\n%s", limit, c.stderr.String())
	}
	return c.cmd.ProcessState.ExitCode()
}

func (c *child) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond every 10 ms for at most limit.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(limit); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("no %s after %s", what, limit)
		}
	}
}

// TestWrong6BackfillIgnoresGrace: a Ctrl-C of a backfill against a target
// that never answers took 92 s (the timeout and its retries), whatever
// --grace said. With --grace 1s the visits in flight are cancelled after
// a second: their hits on the wire are unknown, the rest unsent, and the
// report says so with exit code 130.
func TestWrong6BackfillIgnoresGrace(t *testing.T) {
	bin := cliBinary(t)
	url, requests := silentTarget(t)
	dir := tree(t, map[string]string{"bf.yaml": backfillYAML(url, 100, "")})
	c := startChild(t, bin, "apply", filepath.Join(dir, "bf.yaml"), "--no-preflight", "--grace", "1s", "--format", "json")
	waitFor(t, "request at the target", 10*time.Second, func() bool { return requests.Load() >= 10 })
	sent := time.Now()
	c.signal(t, syscall.SIGINT)
	code := c.wait(t, 30*time.Second)
	took := time.Since(sent)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, exitInterrupted, c.stderr.String())
	}
	r := decodeReport(t, c.stdout.String())
	k := r.Total.Counters
	// 10 visits in flight, one hit each on the wire; a cancelled request
	// counts as the client's semantics say (failed or unknown).
	if r.Run.StopReason != "interrupted" || k.OK != 0 || k.Hits != 10 || k.Failed+k.Unknown != 10 || k.Unsent < 10 {
		t.Errorf("stop %s, counters %+v: want the 10 hits on the wire unanswered and the rest of their visits unsent", r.Run.StopReason, k)
	}
	if !strings.Contains(c.stderr.String(), "grace period of 1s over: cancelling 10 visits in flight") {
		t.Errorf("no grace expiry in the log:\n%s", c.stderr.String())
	}
	// The target's timeout is 10 s: a run that waited for it did not
	// honour the grace period.
	if took > 8*time.Second {
		t.Errorf("the run ended %s after the signal, with --grace 1s", took.Round(time.Millisecond))
	}
}

// TestWrong6BackfillIgnoresMaxVisitsAndDuration: backfill silently ignored
// --max-visits and --duration. Now --max-visits stops it after that many
// visits, and --duration on the wall clock; the days it did not finish
// are incomplete, ready for --resume.
func TestWrong6BackfillIgnoresMaxVisitsAndDuration(t *testing.T) {
	dir := tree(t, map[string]string{
		"bf.yaml":   backfillYAML(answeringTarget(t), 100, ""),
		"slow.yaml": backfillYAML(answeringTarget(t), 100, ", rps: 20"),
	})
	// A backfill that leaves visits undelivered exits 1 (the built-in
	// verdict undelivered_visits, docs/backfill.md#accounting).
	code, stdout, stderr := runCLI(t, "apply", filepath.Join(dir, "bf.yaml"), "--no-preflight", "--max-visits", "130", "--format", "json")
	if code != 1 {
		t.Fatalf("--max-visits: exit %d\n%s", code, stderr)
	}
	r := decodeReport(t, stdout)
	days := r.Backfill.Days
	if r.Run.StopReason != "max_visits" || r.Total.Counters.Visits != 130 || len(days) != 3 ||
		!days[0].Complete || days[1].Complete || days[1].Delivered != 30 || days[1].Undelivered != 70 || days[2].Undelivered != 100 {
		t.Errorf("--max-visits 130: stop %s, %d visits, days %+v", r.Run.StopReason, r.Total.Counters.Visits, days)
	}

	// 20 visits/s for 1 s of the 300 planned.
	code, stdout, stderr = runCLI(t, "apply", filepath.Join(dir, "slow.yaml"), "--no-preflight", "--duration", "1s", "--format", "json")
	if code != 1 {
		t.Fatalf("--duration: exit %d\n%s", code, stderr)
	}
	r = decodeReport(t, stdout)
	v := r.Total.Counters.Visits
	if r.Run.StopReason != "duration" || v < 10 || v > 30 || r.Backfill.Days[0].Complete {
		t.Errorf("--duration 1s at 20 visits/s: stop %s, %d visits, days %+v", r.Run.StopReason, v, r.Backfill.Days)
	}
}

// TestWrong6DurationIsNotWallClock: at a rate the machine cannot start,
// a 5 s run took 23 s and said "completed". run.duration now ends the
// arrivals on the wall clock: every visit due by then that never started
// is counted dropped (the open model), the stop reason says "duration",
// and arrivals plus drops are exactly the visits the schedule had due.
func TestWrong6DurationIsNotWallClock(t *testing.T) {
	dir := tree(t, map[string]string{"fast.yaml": realtimeYAML(answeringTarget(t), "200000/s", "1s", 5000)})
	code, stdout, stderr := runCLI(t, "apply", filepath.Join(dir, "fast.yaml"), "--no-preflight", "--grace", "0", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	r := decodeReport(t, stdout)
	k := r.Total.Counters
	if r.Run.StopReason != "duration" || k.Dropped == 0 || k.Visits+k.Dropped != 200000 || k.DroppedHits != 4*k.Dropped {
		t.Errorf("stop %s: %d visits started, %d dropped (%d hits); want duration, 200000 due, 4 hits each dropped",
			r.Run.StopReason, k.Visits, k.Dropped, k.DroppedHits)
	}
	if !strings.Contains(stderr, "visits that were due never started") {
		t.Errorf("no log line for the overdue visits:\n%s", stderr)
	}
}

// TestWrong6ZeroMeansForever: --grace 0 waited for every visit and
// duration: 0 ran forever, without a word. Now run.duration: 0 is an error
// at its position, --duration 0 a usage error, leaving duration out is
// what runs until interrupted (with a warning), and --grace 0 cancels the
// visits in flight at once.
func TestWrong6ZeroMeansForever(t *testing.T) {
	zero := strings.Replace(validScenario, "duration: 1m", "duration: 0s", 1)
	forever := strings.Replace(validScenario, "  duration: 1m\n", "", 1)
	url, _ := silentTarget(t)
	dir := tree(t, map[string]string{
		"zero.yaml": zero, "forever.yaml": forever,
		"slow.yaml": realtimeYAML(url, "20/s", "1s", 100),
	})
	zeroPath := filepath.Join(dir, "zero.yaml")
	code, stdout, _ := runCLI(t, "validate", zeroPath)
	if code != exitInvalid || !strings.HasPrefix(stdout, zeroPath+":7:13: error: run.duration is 0: a run needs a duration above 0") {
		t.Errorf("validate duration: 0s: exit %d\n%s", code, stdout)
	}
	code, _, stderr := runCLI(t, "apply", zeroPath)
	if code != exitUsage || !strings.Contains(stderr, zeroPath+":7:13: error: run.duration is 0") {
		t.Errorf("apply duration: 0s: exit %d\n%s", code, stderr)
	}
	code, stdout, _ = runCLI(t, "validate", filepath.Join(dir, "forever.yaml"))
	if code != exitOK || !strings.Contains(stdout, "warning: no stop condition: the run goes on until it is interrupted") {
		t.Errorf("validate without duration: exit %d\n%s", code, stdout)
	}
	code, _, stderr = runCLI(t, "apply", filepath.Join(dir, "forever.yaml"), "--duration", "0s")
	if code != exitUsage || !strings.Contains(stderr, "--duration 0s: a run needs a duration above 0") {
		t.Errorf("apply --duration 0s: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "plan", filepath.Join(dir, "forever.yaml"), "--duration", "0s")
	if code != exitUsage || !strings.Contains(stderr, "--duration 0s: a run needs a duration above 0") {
		t.Errorf("plan --duration 0s: exit %d\n%s", code, stderr)
	}

	// --grace 0 against a target that never answers: the run ends with
	// its arrivals, the hits on the wire unknown and the rest unsent.
	code, stdout, stderr = runCLI(t, "apply", filepath.Join(dir, "slow.yaml"), "--no-preflight", "--grace", "0", "--format", "json")
	if code != exitOK {
		t.Fatalf("apply --grace 0: exit %d\n%s", code, stderr)
	}
	k := decodeReport(t, stdout).Total.Counters
	// A cancelled request counts as the client's semantics say (failed
	// or unknown); none was answered.
	if k.Visits != 20 || k.OK != 0 || k.Failed+k.Unknown != k.Hits || k.Hits+k.Unsent != 4*20 || k.Unsent < 3*20 {
		t.Errorf("--grace 0: counters %+v; want 20 visits of 4 hits, none answered, at least 3 of each unsent", k)
	}
	if !strings.Contains(stderr, "no grace period: cancelling 20 visits in flight") {
		t.Errorf("no log line for --grace 0:\n%s", stderr)
	}
}

// TestWrong6InterruptDuringPreflightExits3: a Ctrl-C while the preflight
// waited for a target made the run "unable to start", exit 3. It is an
// interruption: exit 130, and nothing is sent.
func TestWrong6InterruptDuringPreflightExits3(t *testing.T) {
	bin := cliBinary(t)
	url, requests := silentTarget(t)
	dir := tree(t, map[string]string{"rt.yaml": realtimeYAML(url, "20/s", "10s", 100)})
	c := startChild(t, bin, "apply", filepath.Join(dir, "rt.yaml"))
	waitFor(t, "preflight request", 10*time.Second, func() bool { return requests.Load() > 0 })
	c.signal(t, syscall.SIGINT)
	code := c.wait(t, 8*time.Second) // the preflight's own timeout is 10 s
	if code != exitInterrupted || !strings.Contains(c.stderr.String(), "interrupted before any traffic was sent") {
		t.Fatalf("exit %d, want %d\n%s", code, exitInterrupted, c.stderr.String())
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the target got %d requests, want the preflight's only", n)
	}
}

// TestWrong3SecondInterruptWritesReport: a second Ctrl-C called os.Exit,
// and no report was written. Now it cancels the requests in flight at
// once, and the report of what is known is printed and written to --out,
// with exit code 130: against a target that never answers, well before
// the grace period (30 s) or the target's timeout (10 s) ran out.
func TestWrong3SecondInterruptWritesReport(t *testing.T) {
	bin := cliBinary(t)
	url, requests := silentTarget(t)
	dir := tree(t, map[string]string{"rt.yaml": realtimeYAML(url, "50/s", "1m", 100)})
	out := filepath.Join(dir, "report.json")
	c := startChild(t, bin, "apply", filepath.Join(dir, "rt.yaml"), "--no-preflight", "--format", "json", "--out", out)
	waitFor(t, "requests at the target", 10*time.Second, func() bool { return requests.Load() >= 20 })
	first := time.Now()
	c.signal(t, syscall.SIGINT)
	waitFor(t, "first interruption notice", 5*time.Second, func() bool {
		return strings.Contains(c.stderr.String(), "letting visits in flight finish")
	})
	c.signal(t, syscall.SIGINT)
	code := c.wait(t, 30*time.Second)
	took := time.Since(first)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, exitInterrupted, c.stderr.String())
	}
	printed := decodeReport(t, c.stdout.String())
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("--out not written: %v", err)
	}
	written := decodeReport(t, string(data))
	for name, r := range map[string]*report.Report{"stdout": printed, "--out": written} {
		k := r.Total.Counters
		if r.Run.StopReason != "interrupted" || r.Run.ExitCode != exitInterrupted || k.Visits == 0 ||
			k.OK != 0 || k.Hits != k.Visits || k.Failed+k.Unknown != k.Hits || k.Unsent != 3*k.Visits {
			t.Errorf("%s: stop %s, exit %d, counters %+v; want every visit's first hit unanswered, the other 3 unsent",
				name, r.Run.StopReason, r.Run.ExitCode, k)
		}
	}
	if written.Total.Counters.Visits != printed.Total.Counters.Visits {
		t.Errorf("--out has %d visits, stdout %d", written.Total.Counters.Visits, printed.Total.Counters.Visits)
	}
	if took > 8*time.Second {
		t.Errorf("the run ended %s after the first signal", took.Round(time.Millisecond))
	}
}
