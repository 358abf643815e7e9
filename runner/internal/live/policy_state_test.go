package live_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/scenario"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// warnOnly carries out no action: the policies below only warn.
type warnOnly struct{}

func (warnOnly) Abort(gates.Firing)                {}
func (warnOnly) Disable(string, gates.Firing) bool { return true }

func newEngine(t *testing.T, pols ...plan.Policy) *gates.Engine {
	t.Helper()
	p := &plan.Plan{}
	for _, pol := range pols {
		prog, err := scenario.CompilePolicy(pol.When)
		if err != nil {
			t.Fatalf("%s: %v", pol.When, err)
		}
		pol.Program = prog
		p.Policies = append(p.Policies, pol)
	}
	return gates.New(p, warnOnly{})
}

// engineState is what the runner's Source does with Engine.State.
func engineState(e *gates.Engine) func() []live.PolicyState {
	return func() []live.PolicyState {
		var out []live.PolicyState
		for _, s := range e.State() {
			out = append(out, live.PolicyState{Policy: s.Policy, Target: s.Target, Action: s.Action, Holding: s.Holding, Fired: s.Fired})
		}
		return out
	}
}

// figures returns a scope with ok good hits and bad failed ones.
func figures(target string, ok, bad int) gates.Scope {
	r := metrics.NewRecorder(time.Minute, nil)
	for range ok {
		r.RecordRequest(request(kind.Pageview, 1, "ok", 204, 1, 1000, ""))
	}
	for range bad {
		r.RecordRequest(request(kind.Pageview, 1, "failed", 500, 1, 1000, "http_5xx"))
	}
	return gates.Scope{Target: target, Snapshot: r.Snapshot(), Window: r.Window}
}

var t0 = time.Unix(1_800_000_000, 0)

func tick(e *gates.Engine, s int, targets []gates.Scope, run gates.Scope) {
	e.Tick(t0.Add(time.Duration(s)*time.Second), time.Duration(s)*time.Second, targets, run)
}

func TestPolicyMetricsFollowTheEngine(t *testing.T) {
	e := newEngine(t,
		plan.Policy{Name: "errors", Scope: "run", When: "error_rate > 0.5", For: plan.Duration(2 * time.Second), Action: "warn"},
		plan.Policy{Name: "budget", Scope: "target", When: "failed > 0", Action: "warn"},
	)
	srv := serve(t, &fakeSource{policyState: engineState(e)})
	fired := func(pol, target string) string {
		return key("trafficinator_policy_fired_total", "policy", pol, "target", target, "action", "warn")
	}
	holding := func(pol, target string) string {
		return key("trafficinator_policy_holding", "policy", pol, "target", target)
	}
	bad, good := figures("", 1, 9), figures("", 9, 0)
	eu, us := figures("eu", 0, 3), figures("us", 5, 0)

	// Before the first tick only the run-scope policy is known.
	expectPolicies(t, srv, "before", map[string]float64{fired("errors", ""): 0, holding("errors", ""): 0})

	tick(e, 1, []gates.Scope{eu, us}, bad)
	expectPolicies(t, srv, "t=1", map[string]float64{
		fired("errors", ""): 0, holding("errors", ""): 1, // holds, not yet for 2 s
		fired("budget", "eu"): 1, holding("budget", "eu"): 1,
		fired("budget", "us"): 0, holding("budget", "us"): 0,
	})
	tick(e, 3, []gates.Scope{eu, us}, bad)
	expectPolicies(t, srv, "t=3", map[string]float64{
		fired("errors", ""): 1, holding("errors", ""): 1,
		fired("budget", "eu"): 1, holding("budget", "eu"): 1, // same episode: fires once
		fired("budget", "us"): 0, holding("budget", "us"): 0,
	})
	tick(e, 4, []gates.Scope{figures("eu", 4, 0), us}, good)
	expectPolicies(t, srv, "t=4", map[string]float64{
		fired("errors", ""): 1, holding("errors", ""): 0,
		fired("budget", "eu"): 1, holding("budget", "eu"): 0,
		fired("budget", "us"): 0, holding("budget", "us"): 0,
	})
	tick(e, 5, []gates.Scope{eu, us}, good)
	expectPolicies(t, srv, "t=5", map[string]float64{
		fired("errors", ""): 1, holding("errors", ""): 0,
		fired("budget", "eu"): 2, holding("budget", "eu"): 1, // a new episode
		fired("budget", "us"): 0, holding("budget", "us"): 0,
	})
}

// expectPolicies checks the policy series of a scrape, and that there are
// no others.
func expectPolicies(t *testing.T, srv *live.Server, step string, want map[string]float64) {
	t.Helper()
	got := scrape(t, srv.URL())
	for k, v := range got {
		if !strings.HasPrefix(k, "trafficinator_policy_") {
			continue
		}
		if w, ok := want[k]; !ok || w != v {
			t.Errorf("%s: %s = %v, want %v (listed: %v)", step, k, v, w, ok)
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("%s: missing %s", step, k)
		}
	}
}

// TestEngineStateWhileTicking reads the engine from scrapes while it
// ticks on another goroutine (run with -race).
func TestEngineStateWhileTicking(t *testing.T) {
	e := newEngine(t, plan.Policy{Name: "budget", Scope: "target", When: "failed > 0", Action: "warn"})
	srv := serve(t, &fakeSource{policyState: engineState(e)})
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for s := range 300 {
			sc := figures("eu", 1, s%2)
			tick(e, s, []gates.Scope{sc}, sc)
		}
		close(done)
	}()
	last := -1.0
	for {
		select {
		case <-done:
			wg.Wait()
			got := scrape(t, srv.URL())
			if v := got[key("trafficinator_policy_fired_total", "policy", "budget", "target", "eu", "action", "warn")]; v != 150 {
				t.Fatalf("fired %v times, want 150 (every other second)", v)
			}
			return
		default:
		}
		got := scrape(t, srv.URL())
		v := got[key("trafficinator_policy_fired_total", "policy", "budget", "target", "eu", "action", "warn")]
		if v < last {
			t.Fatalf("fired went back from %v to %v", last, v)
		}
		last = v
	}
}
