package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
)

// bfToken is the token_auth of the backfill targets: Matomo (and the
// sink) refuse a cdt older than a day without one.
const bfToken = "0123456789abcdef0123456789abcdef"

// backfillScenario is a backfill of days past days before yesterday,
// perDay visits each, against url, with the request timeout given: 10s
// where a healthy answer must never time out (not even under the race
// detector), short for a target that answers after it. extra is added to
// run.backfill.
func backfillScenario(url string, days, perDay, bulk int, timeout, extra string) string {
	b := ""
	if bulk > 0 {
		b = fmt.Sprintf(", bulk: %d", bulk)
	}
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: wrong-backfill }
run:
  mode: backfill
  timezone: UTC
  seed: 7
  concurrency: 8
  backfill: { last_days: %d, offset_days: 2, visits_per_day: %d%s }
targets:
  - { name: m, kind: matomo, url: %q, site_id: 1, token_auth: %s, timeout: %s%s }
traffic:
  pageviews: { min: 1, max: 4 }
  visit_duration: { min: 30s, max: 5m }
  features:
    ecommerce: { probability: 0.3 }
`, days, perDay, extra, url, bfToken, timeout, b)
}

// startFaults starts a sink whose site 1 takes bfToken, with faults, for t.
func startFaults(t *testing.T, faults targets.SinkFaults) *targets.SinkServer {
	t.Helper()
	s, err := targets.StartSink(targets.SinkOptions{
		Sites:  []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}}},
		Faults: faults,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func writeScenario(t *testing.T, yaml string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "backfill.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func readReport(t *testing.T, path string) *report.Report {
	t.Helper()
	r, err := report.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func verdictNames(r *report.Report) string {
	var names []string
	for _, v := range r.Backfill.Verdicts {
		names = append(names, v.Name)
	}
	return strings.Join(names, ",")
}

// TestWrong1BackfillRetriesDuplicateHits: with bulk: 50 and a target that
// records every request but answers after the timeout, the hits used to
// be sent three times, the days marked complete and the exit code 0. Now
// nothing is sent twice (the sink records at most what was planned), every
// hit counts unknown, and the run fails with the unknown_hits verdict. The
// days are complete, with their unknown counts shown: a visit whose only
// problem is unknown hits does not block its day (issue 12, Decisions).
func TestWrong1BackfillRetriesDuplicateHits(t *testing.T) {
	fs := startFaults(t, targets.SinkFaults{Fault: targets.Always(targets.SlowAnswer), Delay: time.Second})
	dir, scen := writeScenario(t, backfillScenario(fs.URL, 2, 40, 50, "200ms", ""))
	out := filepath.Join(dir, "r.json")
	code, stdout, stderr := runCLI(t, "apply", "--no-preflight", "--out", out, scen)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	r := readReport(t, out)
	c := r.Total.Counters
	planned := c.OK + c.Rejected + c.Failed + c.Unknown + c.Unsent + c.DroppedHits
	recorded := int64(len(fs.Recorded()))
	if c.OK != 0 || c.Unknown != planned || recorded > planned || recorded == 0 {
		t.Errorf("ok %d, unknown %d of %d planned hits; the sink recorded %d", c.OK, c.Unknown, planned, recorded)
	}
	if d := fs.Duplicates(); len(d) > 0 {
		t.Errorf("%d hits recorded twice", len(d))
	}
	if r.Run.Outcome != "failed" || verdictNames(r) != "unknown_hits" {
		t.Errorf("outcome %s, verdicts %q; want failed, unknown_hits", r.Run.Outcome, verdictNames(r))
	}
	for _, d := range r.Backfill.Days {
		if d.Delivered != 0 || d.UnknownVisits != d.Planned || d.OK != 0 || d.Unknown == 0 {
			t.Errorf("day %+v: want every visit unknown, none delivered", d)
		}
	}
	if !strings.Contains(stdout, "FAILED unknown_hits: ") {
		t.Errorf("the table does not show the verdict:\n%s", stdout)
	}
}

// TestWrong2BackfillCountsFailedVisitsAsSent: against a target that is
// down, a backfill used to count every visit as sent, mark its days
// complete and exit 0. Now no visit is delivered, every day is
// incomplete, the run fails with undelivered_visits (exit 1), and
// --resume, the target back, delivers every planned hit once (exit 0).
func TestWrong2BackfillCountsFailedVisitsAsSent(t *testing.T) {
	fs := startFaults(t, targets.SinkFaults{})
	fs.Down()
	dir, scen := writeScenario(t, backfillScenario(fs.URL, 2, 15, 0, "10s", ""))
	out, junit := filepath.Join(dir, "r.json"), filepath.Join(dir, "junit.xml")
	code, stdout, stderr := runCLI(t, "apply", "--no-preflight", "--out", out, "--junit", junit, scen)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	if x, err := os.ReadFile(junit); err != nil || !strings.Contains(string(x), `<failure message="the run ended failed (completed) with exit code 1; undelivered_visits: 30 visits not delivered`) {
		t.Errorf("the JUnit file does not fail the run with the verdict (%v):\n%s", err, x)
	}
	r := readReport(t, out)
	if r.Run.Outcome != "failed" || verdictNames(r) != "undelivered_visits" || r.Backfill.State != out+".state" {
		t.Errorf("outcome %s, verdicts %q, state %q", r.Run.Outcome, verdictNames(r), r.Backfill.State)
	}
	for _, d := range r.Backfill.Days {
		if d.Complete || d.Delivered != 0 || d.Undelivered != d.Planned || d.OK != 0 || d.Failed == 0 {
			t.Errorf("day %+v: want every visit undelivered", d)
		}
	}
	if !strings.Contains(stderr, "journal: "+out+".state\n") {
		t.Errorf("the journal's path is not printed at the start:\n%s", stderr)
	}
	if err := fs.Up(); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(dir, "r2.json")
	code, stdout, stderr = runCLI(t, "apply", "--no-preflight", "--resume", out+".state", "--out", out2, scen)
	if code != 0 {
		t.Fatalf("resumed: exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	r2 := readReport(t, out2)
	var planned int64
	for _, d := range r2.Backfill.Days {
		if !d.Complete || d.Delivered != d.Planned || d.Resumed {
			t.Errorf("resumed: day %+v", d)
		}
		planned += d.OK
	}
	if got := int64(len(fs.Recorded())); got != planned || r2.Total.Counters.OK != planned {
		t.Errorf("the sink recorded %d hits, the days %d, the run ok %d", got, planned, r2.Total.Counters.OK)
	}
	if d := fs.Duplicates(); len(d) > 0 {
		t.Errorf("%d hits recorded twice", len(d))
	}
}

var (
	cliBinOnce sync.Once
	cliBin     string
	cliBinErr  error
)

// builtBinary builds the command into a temporary folder, once.
func builtBinary(t *testing.T) string {
	t.Helper()
	cliBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "trafficinator-cli-")
		if err != nil {
			cliBinErr = err
			return
		}
		cliBin = filepath.Join(dir, "trafficinator")
		if out, err := exec.Command("go", "build", "-o", cliBin, ".").CombinedOutput(); err != nil {
			cliBinErr = errors.New(string(out))
		}
	})
	if cliBinErr != nil {
		t.Fatal(cliBinErr)
	}
	return cliBin
}

// TestWrong3ResumeStateOnlyAtEnd: the resume state used to be the report
// written at the end, so a SIGKILL left nothing to resume from and a
// resume re-sent a third of the hits. Now the journal is written as the
// run goes: after a SIGKILL mid-run, --resume finishes the backfill (exit
// 0 unless hits in flight at the kill are unknown: 1) and the sink holds
// no hit twice, and every planned hit but the unknown ones.
func TestWrong3ResumeStateOnlyAtEnd(t *testing.T) {
	bin := builtBinary(t)
	fs := startFaults(t, targets.SinkFaults{})
	dir, scen := writeScenario(t, backfillScenario(fs.URL, 3, 100, 0, "10s", ", rps: 200"))
	state := filepath.Join(dir, "run.state")
	cmd := exec.Command(bin, "apply", "--no-preflight", "--run-id", "w3", "--state", state, scen)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != -1 {
		t.Fatalf("the run was not killed: %v", err)
	}
	before := len(fs.Recorded())
	if before == 0 {
		t.Fatal("nothing was sent before the kill")
	}
	out := filepath.Join(dir, "r.json")
	code, stdout, stderr := runCLI(t, "apply", "--no-preflight", "--run-id", "w3", "--resume", state, "--out", out, scen)
	r := readReport(t, out)
	var unknown, ok, delivered, planned int64
	for _, d := range r.Backfill.Days {
		unknown += d.Unknown
		ok += d.OK
		delivered += d.Delivered + d.UnknownVisits
		planned += d.Planned
		if !d.Complete {
			t.Errorf("day %+v not complete after the resume", d)
		}
	}
	want := 0
	if unknown > 0 {
		want = 1
	}
	if code != want || delivered != planned {
		t.Fatalf("resumed: exit %d, want %d (%d unknown hits); %d of %d visits delivered\n%s\n%s", code, want, unknown, delivered, planned, stdout, stderr)
	}
	recorded := int64(len(fs.Recorded()))
	if d := fs.Duplicates(); len(d) > 0 {
		t.Errorf("%d hits recorded twice", len(d))
	}
	if recorded < ok || recorded > ok+unknown {
		t.Errorf("the sink recorded %d hits over both runs; the journal says ok %d, unknown %d", recorded, ok, unknown)
	}
	// The resumed report is the whole job's: what it sent itself is its
	// counters less what it carried from the first run's journal.
	sent := r.Total.Counters.OK + r.Total.Counters.Unknown
	if r.Total.Carried == nil || !r.Run.Resumed {
		t.Fatalf("the resumed report carries nothing of the first run (resumed %v)", r.Run.Resumed)
	}
	sent -= r.Total.Carried.OK + r.Total.Carried.Unknown
	if sent > recorded-int64(before)+unknown {
		t.Errorf("the resumed run sent %d hits, the sink got %d from it", sent, recorded-int64(before))
	}
	// An end-of-run report is not a resume state any more.
	code, _, stderr = runCLI(t, "apply", "--no-preflight", "--resume", out, scen)
	if code != exitUsage || !strings.Contains(stderr, "is a report; --resume takes the journal") {
		t.Errorf("--resume REPORT: exit %d\n%s", code, stderr)
	}
}

// TestApplyJournalFlagErrors: every misuse of --state, --resume and
// --resend-unknown is exit 2 with a message naming the file, and nothing
// is sent.
func TestApplyJournalFlagErrors(t *testing.T) {
	fs := startFaults(t, targets.SinkFaults{})
	dir, scen := writeScenario(t, backfillScenario(fs.URL, 1, 3, 0, "10s", ""))
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(other, []byte(backfillScenario(fs.URL, 1, 4, 0, "10s", "")), 0o644); err != nil {
		t.Fatal(err)
	}
	realtime := filepath.Join(dir, "rt.yaml")
	if err := os.WriteFile(realtime, []byte(validScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	rtState, otherState := filepath.Join(dir, "rt.state"), filepath.Join(dir, "other.state")
	if code, _, stderr := runCLI(t, "apply", "--no-preflight", "--max-visits", "1", "--state", rtState, realtime); code != 0 {
		t.Fatalf("realtime run: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "apply", "--no-preflight", "--state", otherState, other); code != 0 {
		t.Fatalf("other backfill: exit %d\n%s", code, stderr)
	}
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a journal\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sent := len(fs.Recorded())
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--resend-unknown"}, "--resend-unknown needs --resume"},
		{[]string{"--state", otherState}, "--state: " + otherState + " exists; resume it with --resume " + otherState + ", or remove it"},
		{[]string{"--resume", rtState}, "--resume: " + rtState + ": the journal is of a realtime run, which cannot be resumed (only backfill runs can)"},
		{[]string{"--resume", otherState}, "--resume: " + otherState + ": the journal is of another scenario (digest "},
		{[]string{"--resume", otherState, "--seed", "8"}, "--resume: " + otherState + ": the journal is of another scenario"},
		{[]string{"--resume", garbage}, "--resume: " + garbage + ": not a trafficinator journal (no header record at byte 0)"},
		{[]string{"--state", filepath.Join(dir, "nope", "s.state")}, "--state " + filepath.Join(dir, "nope", "s.state") + ": the folder " + filepath.Join(dir, "nope") + " does not exist"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, append(append([]string{"apply", "--no-preflight"}, c.args...), scen)...)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "trafficinator: "+c.want) {
			t.Errorf("%q: exit %d\nstderr %q\nwant   %q", c.args, code, stderr, "trafficinator: "+c.want)
		}
	}
	if n := len(fs.Recorded()); n != sent {
		t.Errorf("%d hits sent by refused runs", n-sent)
	}
}
