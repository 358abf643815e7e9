package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

// twoSinks starts a healthy sink and a flaky one that answers 500 once
// failAfter has passed since the first hit it sees.
func twoSinks(t *testing.T, failAfter time.Duration) (healthy, flaky string) {
	t.Helper()
	good, err := targets.NewSink(targets.SinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := targets.NewSink(targets.SinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var first atomic.Int64
	flakyH := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().UnixNano()
		first.CompareAndSwap(0, now)
		if r.URL.Path == "/matomo.php" && time.Duration(now-first.Load()) > failAfter {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		bad.ServeHTTP(w, r)
	})
	s1 := httptest.NewServer(good)
	s2 := httptest.NewServer(flakyH)
	t.Cleanup(func() { s1.Close(); s2.Close() })
	return s1.URL + "/matomo.php", s2.URL + "/matomo.php"
}

func policyScenario(t *testing.T, healthy, flaky, action string) *plan.Plan {
	t.Helper()
	src := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: two-sinks }
run: { rate: 40/s, duration: 12s, concurrency: 200, seed: 7 }
targets:
  - { name: healthy, url: %q, site_id: 1 }
  - { name: flaky, url: %q, site_id: 1 }
traffic:
  pageviews: { min: 1, max: 2 }
  pause: { min: 10ms, max: 20ms }
policies:
  - name: flaky-errors
    scope: target
    when: error_rate_over("2s") > 0.5
    for: 1s
    action: %s
`, healthy, flaky, action)
	res := scenario.Load("two-sinks.yaml", []byte(src), scenario.Options{})
	if !res.Valid() {
		t.Fatalf("scenario invalid: %v", res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func target(r *report.Report, name string) report.Target {
	for _, t := range r.Targets {
		if t.Name == name {
			return t
		}
	}
	return report.Target{}
}

func TestDisableTargetPolicyKeepsTheRunGoing(t *testing.T) {
	healthy, flaky := twoSinks(t, 5*time.Second)
	p := policyScenario(t, healthy, flaky, "disable_target")
	r, err := Run(context.Background(), p, Options{Grace: exec.WaitForAll})
	if err != nil {
		t.Fatal(err)
	}
	if r.Run.ExitCode != 0 || r.Run.Outcome != OutcomePassed {
		t.Fatalf("exit %d outcome %s, want 0 passed", r.Run.ExitCode, r.Run.Outcome)
	}
	if len(r.Policies) != 1 || r.Policies[0].Target != "flaky" || r.Policies[0].Action != "disable_target" {
		t.Fatalf("firings %+v", r.Policies)
	}
	f := r.Policies[0]
	// The flaky target fails from 5 s on; the policy needs a second of
	// errors over its window and then for: 1s, so it fires after 6 s.
	if f.ElapsedS < 6 || f.ElapsedS > 10 {
		t.Fatalf("fired at %.1fs", f.ElapsedS)
	}
	d := target(r, "flaky").Disabled
	if d == nil || d.Policy != "flaky-errors" {
		t.Fatalf("flaky not marked disabled: %+v", d)
	}
	// Arrivals stay on plan: every scheduled visit went somewhere.
	total := r.Total.Counters.Visits + r.Total.Counters.Dropped
	if total != 480 {
		t.Fatalf("visits due %d, want 480 (12 s at 40/s)", total)
	}
	// The healthy target keeps (at least) its share: half of all visits,
	// plus what the flaky one no longer gets.
	if h := target(r, "healthy").Counters.Visits; h < 240 {
		t.Fatalf("healthy target got %d visits, want at least its 240", h)
	}
}

func TestFailPolicyExitsOne(t *testing.T) {
	healthy, flaky := twoSinks(t, 5*time.Second)
	r, err := Run(context.Background(), policyScenario(t, healthy, flaky, "fail"), Options{Grace: exec.WaitForAll})
	if err != nil {
		t.Fatal(err)
	}
	// A fail policy lets the schedule run to its end: "completed", or
	// "duration" when the last arrival met the wall-clock bound on a
	// loaded machine; never aborted.
	if r.Run.ExitCode != 1 || r.Run.Outcome != OutcomeFailed || (r.Run.StopReason != "completed" && r.Run.StopReason != "duration") {
		t.Fatalf("exit %d outcome %s stop %s, want 1 failed completed (or duration)", r.Run.ExitCode, r.Run.Outcome, r.Run.StopReason)
	}
	if len(r.Policies) == 0 || r.Policies[0].Action != "fail" {
		t.Fatalf("firings %+v", r.Policies)
	}
}

func TestAbortPolicyStopsWithinTwoSeconds(t *testing.T) {
	healthy, flaky := twoSinks(t, 5*time.Second)
	r, err := Run(context.Background(), policyScenario(t, healthy, flaky, "abort"), Options{Grace: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if r.Run.ExitCode != 1 || r.Run.Outcome != OutcomeAborted {
		t.Fatalf("exit %d outcome %s, want 1 aborted", r.Run.ExitCode, r.Run.Outcome)
	}
	if len(r.Policies) != 1 {
		t.Fatalf("firings %+v", r.Policies)
	}
	if stop := r.Run.End.Sub(r.Policies[0].At); stop > 2*time.Second {
		t.Fatalf("run ended %v after the abort fired", stop)
	}
}

// With no target reachable the run cannot start (apply exits 3): a
// required target that fails is reason enough.
func TestPreflightWithNoReachableTarget(t *testing.T) {
	res := scenario.Load("p.yaml", []byte(`apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: nowhere }
run: { rate: 5/s, duration: 1s }
targets:
  - { name: closed, url: "http://127.0.0.1:9/matomo.php", site_id: 1 }
`), scenario.Options{})
	if !res.Valid() {
		t.Fatal(res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []report.PreflightRow
	_, err = Run(context.Background(), p, Options{OnPreflight: func(r []report.PreflightRow) { rows = r }})
	var re *RequiredTargetError
	if !errors.As(err, &re) || len(re.Failed) != 1 || re.Failed[0].Target != "closed" {
		t.Fatalf("Run: %v, want a RequiredTargetError for closed", err)
	}
	if len(rows) != 1 || rows[0].Reachable || rows[0].Target != "closed" || rows[0].Status != 0 {
		t.Fatalf("preflight rows %+v", rows)
	}
}
