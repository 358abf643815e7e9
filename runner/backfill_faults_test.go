package runner

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
)

// faultScenario is a two-day backfill against url with the request
// timeout given: short enough that a slow answer (slowDelay) times out
// quickly, long enough that a healthy answer never does, even on a loaded
// machine under the race detector.
func faultScenario(url string, bulk int, timeout string) string {
	y := bfScenario(bfSpec{Targets: []string{url}, Timezone: "UTC", Window: "from: 2026-11-01, to: 2026-11-02",
		PerDay: "25", Concurrency: 8, Bulk: bulk, Duration: "{min: 30s, max: 5m}"})
	return strings.Replace(y, "site_id: 1,", "site_id: 1, timeout: "+timeout+",", 1)
}

// slowDelay is how long a slow answer waits, well past the short timeout.
const slowDelay = 3 * time.Second

// plannedHits is the number of hits of the plan.
func plannedHits(visits []plannedVisit) int64 {
	var n int64
	for _, pv := range visits {
		n += int64(len(pv.v.Hits))
	}
	return n
}

// checkOutcomes holds one run's figures against what the sink recorded:
// no hit recorded twice, every hit of the plan in exactly one outcome, and
// ok ≤ recorded ≤ ok + unknown.
func checkOutcomes(t *testing.T, rep *report.Report, recorded []url.Values, planned int64) {
	t.Helper()
	if d := loadtest.Duplicates(recorded); len(d) > 0 {
		t.Errorf("the sink recorded %d hits twice: %.200q", len(d), d)
	}
	c := rep.Total.Counters
	if sum := c.OK + c.Rejected + c.Failed + c.Unknown + c.Unsent + c.DroppedHits; sum != planned {
		t.Errorf("ok %d + rejected %d + failed %d + unknown %d + unsent %d + dropped %d = %d, planned %d",
			c.OK, c.Rejected, c.Failed, c.Unknown, c.Unsent, c.DroppedHits, sum, planned)
	}
	if n := int64(len(recorded)); n < c.OK || n > c.OK+c.Unknown {
		t.Errorf("the sink recorded %d hits; the report says ok %d, unknown %d", n, c.OK, c.Unknown)
	}
}

// checkExactlyPlanned holds what the sink recorded over all runs against
// the plan: every hit the journal does not mark unknown exactly once, the
// unknown ones at most once, nothing else.
func checkExactlyPlanned(t *testing.T, planned []plannedVisit, recorded []url.Values, st *journal.State) {
	t.Helper()
	want, unknown := map[string]int{}, map[string]bool{}
	for _, pv := range planned {
		hs := st.Hits(pv.v.Index)
		for k, h := range pv.v.Hits {
			q, err := url.ParseQuery(targets.MatomoQuery(h.Params))
			if err != nil {
				t.Fatal(err)
			}
			key := canonical(q)
			want[key]++
			if hs != nil && hs[k] == journal.Unknown {
				unknown[key] = true
			}
		}
	}
	got := map[string]int{}
	for _, q := range recorded {
		got[canonical(q)]++
	}
	var missing, twice, extra int
	for k, n := range want {
		switch {
		case got[k] > n:
			twice++
		case got[k] < n && !unknown[k]:
			missing++
		}
	}
	for k := range got {
		if want[k] == 0 {
			extra++
		}
	}
	if missing+twice+extra > 0 {
		t.Errorf("over all runs: %d planned hits missing, %d recorded twice, %d not planned (of %d; %d unknown)",
			missing, twice, extra, len(want), len(unknown))
	}
}

// resumeUntilDone resumes the journal at state until no visit is left
// undelivered (at most 5 times) and returns the last report.
func resumeUntilDone(t *testing.T, yaml, state string, runID string) *report.Report {
	t.Helper()
	for range 5 {
		st, _, err := journal.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		rep := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{RunID: runID, Resume: st, State: state})
		left := false
		for _, v := range rep.Backfill.Verdicts {
			left = left || v.Name == VerdictUndelivered
		}
		if rep.Run.StopReason == "completed" && !left {
			return rep
		}
	}
	t.Fatal("visits still undelivered after 5 resumes")
	return nil
}

// TestBackfillFaults runs a backfill against each fault, single and bulk:
// the run's figures agree with what the sink recorded, and resuming the
// journal (faults over) delivers exactly the plan.
func TestBackfillFaults(t *testing.T) {
	// The faults last for the first run only (faulty); the resumes find
	// the target healthy. Every 8th request gets a slow answer or a reset,
	// which leave hits of unknown outcome; every request is refused with
	// 429 or 503 (after the retries: failed), or cannot connect, which
	// leaves every visit undelivered.
	every := func(k int, f loadtest.Fault, faulty *atomic.Bool) func(int) loadtest.Fault {
		return func(n int) loadtest.Fault {
			if faulty.Load() && n%k == k-1 {
				return f
			}
			return loadtest.Healthy
		}
	}
	cases := []struct {
		name  string
		fault loadtest.Fault
		k     int
		down  bool // the target refuses connections during the first run
		// unknown: the fault leaves hits of unknown outcome; undelivered:
		// it leaves failed hits for the resume.
		unknown, undelivered bool
	}{
		{"answer after the timeout", loadtest.SlowAnswer, 8, false, true, false},
		{"reset after read", loadtest.ResetAfterRead, 8, false, true, false},
		{"429 with Retry-After", loadtest.Throttle, 1, false, false, true},
		{"503", loadtest.Unavailable, 1, false, false, true},
		{"down then back", loadtest.Healthy, 1, true, false, true},
	}
	for _, bulk := range []int{0, 10} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/bulk=%d", tc.name, bulk), func(t *testing.T) {
				t.Parallel()
				var faulty atomic.Bool
				faulty.Store(true)
				fs, err := loadtest.StartFaultSink(loadtest.FaultConfig{Token: bfToken, Fault: every(tc.k, tc.fault, &faulty),
					Delay: slowDelay, RetryAfter: "0"})
				if err != nil {
					t.Fatal(err)
				}
				defer fs.Close()
				timeout := "10s"
				if tc.fault == loadtest.SlowAnswer {
					timeout = "1s"
				}
				yaml := faultScenario(fs.URL, bulk, timeout)
				p := bfCompile(t, yaml, bfClock)
				planned := regenerate(t, p, "faults", time.Now())
				if tc.down {
					fs.Down()
				}
				state := filepath.Join(t.TempDir(), "run.state")
				first := runBF(t, context.Background(), p, Options{RunID: "faults", State: state})
				faulty.Store(false)
				if tc.down {
					if err := fs.Up(); err != nil {
						t.Fatal(err)
					}
				}
				checkOutcomes(t, first, fs.Recorded(), plannedHits(planned))
				checkVerdict(t, first, tc.unknown, tc.undelivered)

				last := resumeUntilDone(t, yaml, state, "faults")
				st, _, err := journal.ReadFile(state)
				if err != nil {
					t.Fatal(err)
				}
				checkExactlyPlanned(t, planned, fs.Recorded(), st)
				for _, d := range last.Backfill.Days {
					if !d.Complete || d.Undelivered != 0 || d.Delivered+d.UnknownVisits != d.Planned {
						t.Errorf("after resuming: day %+v", d)
					}
				}
				wantExit := 0
				if tc.unknown {
					wantExit = 1 // unknown_hits
				}
				if last.Run.ExitCode != wantExit {
					t.Errorf("after resuming: exit %d, want %d; verdicts %+v", last.Run.ExitCode, wantExit, last.Backfill.Verdicts)
				}
			})
		}
	}
}

// checkVerdict holds the first run's verdicts and exit code.
func checkVerdict(t *testing.T, rep *report.Report, unknown, undelivered bool) {
	t.Helper()
	names := map[string]bool{}
	for _, v := range rep.Backfill.Verdicts {
		names[v.Name] = true
	}
	if names[VerdictUnknown] != unknown || names[VerdictUndelivered] != undelivered {
		t.Errorf("verdicts %+v; want unknown_hits %v, undelivered_visits %v", rep.Backfill.Verdicts, unknown, undelivered)
	}
	if want := unknown || undelivered; (rep.Run.ExitCode == 1) != want || (rep.Run.Outcome == OutcomePassed) == want {
		t.Errorf("exit %d, outcome %s; want a failure: %v", rep.Run.ExitCode, rep.Run.Outcome, want)
	}
	var undeliveredVisits int64
	for _, d := range rep.Backfill.Days {
		undeliveredVisits += d.Undelivered
		if d.Complete != (d.Undelivered == 0) {
			t.Errorf("day %+v: complete with undelivered visits", d)
		}
	}
	if (undeliveredVisits > 0) != undelivered {
		t.Errorf("%d undelivered visits", undeliveredVisits)
	}
}

// TestBackfillResendUnknown: the hits of unknown outcome are not resent by
// --resume, and are with --resend-unknown, exactly those: here the target
// had recorded them (it answered after the timeout), so they are recorded
// twice, the risk the flag names.
func TestBackfillResendUnknown(t *testing.T) {
	var faulty atomic.Bool
	faulty.Store(true)
	fs, err := loadtest.StartFaultSink(loadtest.FaultConfig{Token: bfToken, Delay: slowDelay,
		Fault: func(n int) loadtest.Fault {
			if faulty.Load() && n%8 == 7 {
				return loadtest.SlowAnswer
			}
			return loadtest.Healthy
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	yaml := faultScenario(fs.URL, 0, "1s")
	state := filepath.Join(t.TempDir(), "run.state")
	first := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{RunID: "ru", State: state})
	faulty.Store(false)
	unknown := first.Total.Counters.Unknown
	if unknown == 0 || first.Run.ExitCode != 1 {
		t.Fatalf("first run: %d unknown hits, exit %d", unknown, first.Run.ExitCode)
	}
	recorded := len(fs.Recorded())

	resume := func(resend bool) *report.Report {
		st, _, err := journal.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		return runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{RunID: "ru", Resume: st, State: state, ResendUnknown: resend})
	}
	plain := resume(false)
	// A resumed report is the whole job's: what this attempt sent is its
	// counters less what it carried from the journal.
	if n := len(fs.Recorded()); n != recorded || ownHits(plain.Total) != 0 || plain.Total.Counters.Unknown != unknown {
		t.Errorf("--resume sent %d hits (the sink got %d more), reports %d unknown; want none sent and the %d unknown", ownHits(plain.Total), n-recorded, plain.Total.Counters.Unknown, unknown)
	}
	if plain.Run.ExitCode != 1 || verdictOf(plain) != VerdictUnknown {
		t.Errorf("--resume: exit %d, verdicts %+v; want 1, unknown_hits", plain.Run.ExitCode, plain.Backfill.Verdicts)
	}
	again := resume(true)
	c := again.Total.Counters
	if carried := again.Total.Carried; carried != nil {
		c.OK -= carried.OK
		c.Rejected -= carried.Rejected
	}
	if c.OK+c.Rejected != unknown || c.Failed+c.Unknown+c.Unsent != 0 {
		t.Errorf("--resend-unknown: ok %d + rejected %d, want the %d unknown hits; failed %d, unknown %d, unsent %d",
			c.OK, c.Rejected, unknown, c.Failed, c.Unknown, c.Unsent)
	}
	// The sink had them: every one is recorded twice, but the orders,
	// which it refuses the second time as Matomo does.
	if n := int64(len(fs.Recorded()) - recorded); n != c.OK || int64(len(loadtest.Duplicates(fs.Recorded()))) == 0 {
		t.Errorf("the sink got %d more hits, want %d (some twice)", n, c.OK)
	}
	if fs.DuplicateOrders() != c.Rejected {
		t.Errorf("%d resent orders refused, %d hits rejected", fs.DuplicateOrders(), c.Rejected)
	}
	wantExit, wantVerdict := 0, ""
	if c.Rejected > 0 {
		wantExit, wantVerdict = 1, VerdictRejected
	}
	if again.Run.ExitCode != wantExit || verdictOf(again) != wantVerdict {
		t.Errorf("--resend-unknown: exit %d, verdicts %+v; want %d, %q", again.Run.ExitCode, again.Backfill.Verdicts, wantExit, wantVerdict)
	}
	for _, d := range again.Backfill.Days {
		if d.Delivered+d.RejectedVisits != d.Planned || d.Unknown != 0 || !d.Complete {
			t.Errorf("day %+v after --resend-unknown", d)
		}
	}
}

func verdictOf(r *report.Report) string {
	var names []string
	for _, v := range r.Backfill.Verdicts {
		names = append(names, v.Name)
	}
	return strings.Join(names, ",")
}

// ownHits is how many hits a run itself sent: its counters less what a
// resumed backfill carried from earlier attempts.
func ownHits(t report.Target) int64 {
	if t.Carried == nil {
		return t.Counters.Hits
	}
	return t.Counters.Hits - t.Carried.Hits
}
