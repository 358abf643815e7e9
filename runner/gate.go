package runner

import (
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// gate connects the policy engine to a running executor: it builds the
// scopes every second and carries out aborts and target disabling.
type gate struct {
	rt     *runtime
	exec   controller
	engine *gates.Engine
	logf   func(string, ...any)

	mu       sync.Mutex
	disabled map[string]report.Disabled
}

// controller is what the gate needs of a running schedule: the realtime
// executor, or the backfill loop.
type controller interface {
	Stop(reason string, hard bool)
	Started() time.Time
	InFlight() int64
	// Stopping is closed once arrivals end: the grace period.
	Stopping() <-chan struct{}
}

func newGate(rt *runtime, e controller, logf func(string, ...any)) *gate {
	g := &gate{rt: rt, exec: e, logf: logf, disabled: map[string]report.Disabled{}}
	g.engine = gates.New(rt.plan, g)
	g.engine.Logf = logf
	return g
}

// Abort implements gates.Actions: stop now, cancelling visits in flight.
func (g *gate) Abort(f gates.Firing) {
	g.logf("policy %q fired (%s): aborting the run", f.Policy, f.When)
	g.exec.Stop(exec.ReasonAborted, true)
}

// Disable implements gates.Actions: stop routing to a target.
func (g *gate) Disable(target string, f gates.Firing) bool {
	idx := -1
	for i, t := range g.rt.execTargets {
		if t.Name == target {
			idx = i
		}
	}
	if idx < 0 || len(g.rt.router.Enabled()) <= 1 {
		return false
	}
	g.rt.router.Disable(idx)
	g.mu.Lock()
	g.disabled[target] = report.Disabled{At: f.At, ElapsedS: f.ElapsedS, Policy: f.Policy,
		Reason: "policy " + f.Policy + " fired: " + f.When}
	g.mu.Unlock()
	g.logf("policy %q fired for target %s (%s): target disabled, its share goes to the others", f.Policy, target, f.When)
	return true
}

// scopes returns the scopes of the enabled targets and of the whole run.
func (g *gate) scopes(final bool) ([]gates.Scope, gates.Scope) {
	enabled := map[int]bool{}
	for _, i := range g.rt.router.Enabled() {
		enabled[i] = true
	}
	var targets []gates.Scope
	var total metrics.Snapshot
	for i, t := range g.rt.execTargets {
		s := t.Recorder.Snapshot()
		total.Merge(s)
		if enabled[i] || final {
			targets = append(targets, gates.Scope{Target: t.Name, Snapshot: s, Window: t.Recorder.Window,
				OptionalUnavailable: g.rt.optionalUnavailable})
		}
	}
	if total.Latency == nil {
		total.Merge(metrics.Snapshot{})
	}
	run := gates.Scope{Snapshot: total, Window: func(d time.Duration) metrics.Snapshot {
		var w metrics.Snapshot
		for _, t := range g.rt.execTargets {
			w.Merge(t.Recorder.Window(d))
		}
		return w
	}, OptionalUnavailable: g.rt.optionalUnavailable}
	return targets, run
}

// tick evaluates the policies once.
func (g *gate) tick(now time.Time) {
	targets, run := g.scopes(false)
	g.engine.Tick(now, now.Sub(g.exec.Started()), targets, run)
}

// final evaluates the end-of-run policies over the whole run.
func (g *gate) final(out exec.Outcome) {
	targets, run := g.scopes(true)
	g.engine.Final(out.End, out.End.Sub(out.Start), targets, run)
}
