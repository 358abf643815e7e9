package livepage_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/ui/livepage"
)

// states reads the page's event stream and passes each state to f until
// f returns false or limit passes.
func states(t *testing.T, url string, limit time.Duration, f func(livepage.View) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var v livepage.View
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			t.Fatalf("a state that is not a View: %v", err)
		}
		if !f(v) {
			return
		}
	}
	t.Fatalf("the stream ended or %s passed: %v", limit, sc.Err())
}

// TestPhasesOfAStoppedRun: running, then Stop: grace while the visits in
// flight finish their pauses, then done with the report.
func TestPhasesOfAStoppedRun(t *testing.T) {
	yaml := strings.Replace(sinkScenario("phases", "20/s", ""), "pause: {min: 10ms, max: 50ms}", "pause: {min: 5s, max: 6s}", 1)
	lr := startLiveRun(t, yaml, nil)
	lr.waitRunning(t)
	_, page := get(t, lr.url)
	var phases []string
	states(t, lr.url, 20*time.Second, func(v livepage.View) bool {
		if len(phases) == 0 || phases[len(phases)-1] != v.Phase {
			phases = append(phases, v.Phase)
		}
		if v.Phase == "running" && len(phases) == 1 {
			req, _ := http.NewRequest("POST", lr.url+"stop", nil)
			req.Header.Set("X-CSRF-Token", csrfOf(t, page))
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}
		if v.Phase == "grace" && !v.Stopping {
			t.Errorf("grace after Stop, but the state does not say stopping")
		}
		if v.Phase == "done" && v.Report == nil {
			t.Errorf("done without the report")
		}
		return v.Phase != "done"
	})
	if want := []string{"running", "grace", "done"}; !slices.Equal(phases, want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
}

// TestBackfillDays: a backfill's page counts its days, and with rps: auto
// shows its limit and, at the end, the rate it settled on as the report
// says it (0 for a run too short to settle).
func TestBackfillDays(t *testing.T) {
	lr := startLiveRun(t, `apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: backfill-page}
run:
  mode: backfill
  timezone: Europe/Stockholm
  seed: 5
  concurrency: 4
  backfill: {from: 2026-10-01, to: 2026-10-03, visits_per_day: 300, rps: auto}
targets:
  - {name: sink, kind: sink, site_id: 1, token_auth: backfill-token-1234}
`, nil)
	var seen []int
	settled := -1.0
	states(t, lr.url, 60*time.Second, func(v livepage.View) bool {
		if v.Backfill == nil {
			return v.Phase == "preflight"
		}
		if v.Backfill.Days != 3 || v.Backfill.DaysDone+v.Backfill.DaysLeft != 3 {
			t.Fatalf("backfill %+v, want 3 days, done + left = 3", *v.Backfill)
		}
		if len(seen) == 0 || seen[len(seen)-1] != v.Backfill.DaysDone {
			seen = append(seen, v.Backfill.DaysDone)
		}
		if v.Phase != "done" {
			return true
		}
		if v.Backfill.DaysDone != 3 || v.Report == nil || v.Report.Outcome != "passed" || v.Backfill.AutoLimit < 1 {
			t.Errorf("at the end: backfill %+v, report %+v; want 3 days done, passed, an rps: auto limit", *v.Backfill, v.Report)
		}
		settled = v.Backfill.SettledRPS
		return false
	})
	if !slices.IsSorted(seen) || seen[len(seen)-1] != 3 {
		t.Errorf("days done went %v, want up to 3", seen)
	}
	<-lr.done
	if want := lr.rep.Backfill.Auto.SettledRPS; settled != want {
		t.Errorf("the page's settled rate is %v, the report's %v", settled, want)
	}
}
