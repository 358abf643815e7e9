package gates

import (
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/scenario"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

type recorded struct {
	aborts   []string
	disables []string
	last     bool // Disable refuses: the target is the last one
}

func (r *recorded) Abort(f Firing) { r.aborts = append(r.aborts, f.Policy) }
func (r *recorded) Disable(t string, f Firing) bool {
	if r.last {
		return false
	}
	r.disables = append(r.disables, t)
	return true
}

func newEngine(t *testing.T, acts Actions, pols ...plan.Policy) *Engine {
	t.Helper()
	p := &plan.Plan{}
	for _, pol := range pols {
		prog, err := scenario.CompilePolicy(pol.When)
		if err != nil {
			t.Fatalf("%s: %v", pol.When, err)
		}
		pol.Program = prog
		if pol.Scope == "" {
			pol.Scope = "run"
		}
		p.Policies = append(p.Policies, pol)
	}
	return New(p, acts)
}

// scope returns a run scope with ok good hits and bad failed ones.
func scope(target string, ok, bad int) Scope {
	r := metrics.NewRecorder(time.Minute, nil)
	for i := 0; i < ok; i++ {
		var q metrics.Request
		q.Hits[kind.Pageview], q.OK, q.Status, q.Attempts, q.Latency = 1, 1, 204, 1, 10*time.Millisecond
		r.RecordRequest(q)
	}
	for i := 0; i < bad; i++ {
		var q metrics.Request
		q.Hits[kind.Pageview], q.Failed, q.Status, q.Attempts, q.Latency = 1, 1, 500, 1, 900*time.Millisecond
		q.ErrKind = "http_5xx"
		r.RecordRequest(q)
	}
	return Scope{Target: target, Snapshot: r.Snapshot(), Window: r.Window}
}

var t0 = time.Unix(1_800_000_000, 0)

func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

func TestZeroSamplesNeverFire(t *testing.T) {
	acts := &recorded{}
	e := newEngine(t, acts,
		plan.Policy{Name: "rate", When: "error_rate < 0.5", Action: "fail"},
		plan.Policy{Name: "lat", When: "p95_ms < 100", Action: "fail"},
		plan.Policy{Name: "win", When: `window("1m").error_rate < 0.5`, Action: "fail"},
	)
	empty := scope("", 0, 0)
	for s := 1; s <= 5; s++ {
		e.Tick(at(s), time.Duration(s)*time.Second, nil, empty)
	}
	e.Final(at(6), 6*time.Second, nil, empty)
	if len(e.Firings()) != 0 || e.Failed() {
		t.Fatalf("policies fired on zero samples: %+v", e.Firings())
	}
	// The same policies fire once there is data.
	e.Tick(at(7), 7*time.Second, nil, scope("", 10, 0))
	if len(e.Firings()) != 3 {
		t.Fatalf("want 3 firings with data, got %+v", e.Firings())
	}
}

func TestCountersAreNeverWithoutSamples(t *testing.T) {
	e := newEngine(t, &recorded{}, plan.Policy{Name: "quiet", When: "requests == 0 && elapsed_s >= 3", Action: "warn"})
	e.Tick(at(3), 3*time.Second, nil, scope("", 0, 0))
	if len(e.Firings()) != 1 {
		t.Fatalf("a counter of 0 is a real value: %+v", e.Firings())
	}
}

func TestForNeedsAnUnbrokenHold(t *testing.T) {
	acts := &recorded{}
	e := newEngine(t, acts, plan.Policy{Name: "bad", When: "error_rate > 0.5", For: plan.Duration(3 * time.Second), Action: "fail"})
	bad, good := scope("", 1, 9), scope("", 9, 1)
	// Flickering: true two seconds, false one, forever; it never holds 3 s.
	for s := 0; s < 60; s++ {
		sc := bad
		if s%3 == 2 {
			sc = good
		}
		e.Tick(at(s), time.Duration(s)*time.Second, nil, sc)
	}
	e.Final(at(61), 61*time.Second, nil, bad)
	if len(e.Firings()) != 0 {
		t.Fatalf("a flickering condition fired: %+v", e.Firings())
	}
	// Held for 3 s: fires at the third second, once.
	for s := 100; s <= 110; s++ {
		e.Tick(at(s), time.Duration(s)*time.Second, nil, bad)
	}
	f := e.Firings()
	if len(f) != 1 || !f[0].At.Equal(at(103)) || !e.Failed() {
		t.Fatalf("want one firing at +103s, got %+v", f)
	}
	if f[0].Values["error_rate"] != 0.9 {
		t.Fatalf("firing values %v", f[0].Values)
	}
}

func TestTargetScopeAndDisable(t *testing.T) {
	acts := &recorded{}
	e := newEngine(t, acts, plan.Policy{Name: "budget", Scope: "target", Targets: []string{"eu"}, When: "error_rate > 0.1", Action: "disable_target"})
	targets := []Scope{scope("eu", 1, 9), scope("us", 1, 9)}
	e.Tick(at(1), time.Second, targets, scope("", 2, 18))
	if len(acts.disables) != 1 || acts.disables[0] != "eu" {
		t.Fatalf("disabled %v, want [eu] only (targets: limits the scope)", acts.disables)
	}
	if e.Failed() {
		t.Fatal("disable_target alone does not fail the run")
	}
}

func TestDisablingTheLastTargetAborts(t *testing.T) {
	acts := &recorded{last: true}
	e := newEngine(t, acts, plan.Policy{Name: "budget", Scope: "target", When: "failed > 0", Action: "disable_target"})
	e.Tick(at(1), time.Second, []Scope{scope("eu", 0, 1)}, scope("", 0, 1))
	if len(acts.aborts) != 1 || !e.Aborted() || !e.Failed() {
		t.Fatalf("aborts %v aborted %v", acts.aborts, e.Aborted())
	}
}

func TestAbortFiresOncePerEpisode(t *testing.T) {
	acts := &recorded{}
	e := newEngine(t, acts, plan.Policy{Name: "collapse", When: "failed > 0", Action: "abort"})
	for s := 1; s <= 5; s++ {
		e.Tick(at(s), time.Duration(s)*time.Second, nil, scope("", 0, 1))
	}
	if len(acts.aborts) != 1 || len(e.Firings()) != 1 {
		t.Fatalf("aborts %v firings %d", acts.aborts, len(e.Firings()))
	}
}

func TestFinalEvaluatesWholeRunWithoutFor(t *testing.T) {
	e := newEngine(t, &recorded{},
		plan.Policy{Name: "slow", When: "p95_ms > 800", Action: "fail"},
		plan.Policy{Name: "sustained", When: "p95_ms > 800", For: plan.Duration(time.Minute), Action: "fail"},
	)
	e.Final(at(10), 10*time.Second, nil, scope("", 1, 99))
	f := e.Firings()
	if len(f) != 1 || f[0].Policy != "slow" || f[0].Phase != "end" {
		t.Fatalf("firings %+v", f)
	}
}

func TestFiringRecordsWindowValues(t *testing.T) {
	e := newEngine(t, &recorded{}, plan.Policy{Name: "w", When: `window("1m").error_rate > 0.5 && error_rate_over("30s") > 0.5 && failed > 0`, Action: "warn"})
	e.Tick(at(1), time.Second, nil, scope("", 1, 3))
	f := e.Firings()
	if len(f) != 1 {
		t.Fatalf("firings %+v", f)
	}
	want := map[string]float64{`window("1m").error_rate`: 0.75, `error_rate_over("30s")`: 0.75, "failed": 3}
	for k, v := range want {
		if got, ok := f[0].Values[k]; !ok || got != v {
			t.Errorf("value %s = %v (present %v), want %v; all %v", k, got, ok, v, f[0].Values)
		}
	}
	if len(f[0].Values) != len(want) {
		t.Errorf("values %v, want exactly %v", f[0].Values, want)
	}
}
