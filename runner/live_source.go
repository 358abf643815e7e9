package runner

import (
	"sync/atomic"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// liveSource shows a run's figures to a metrics server (apply
// --metrics-addr). Its methods run on HTTP goroutines during the run; they
// only read the recorders, the router and the policy engine, which lock.
type liveSource struct {
	rt    *runtime
	gate  *gate
	runID string
	start time.Time
	ended atomic.Int64 // the run's duration once it is over, 0 before
	days  dayCursor    // a backfill's days done, for the live page
}

func newLiveSource(rt *runtime, g *gate, runID string) *liveSource {
	return &liveSource{rt: rt, gate: g, runID: runID, start: time.Now()}
}

// finish freezes the elapsed time at the run's duration, as the report has it.
func (s *liveSource) finish(d time.Duration) { s.ended.Store(int64(max(d, 1))) }

func (s *liveSource) Run() live.RunState {
	d := time.Duration(s.ended.Load())
	if d == 0 {
		d = time.Since(s.start)
	}
	return live.RunState{Scenario: s.rt.plan.Name, RunID: s.runID, Seed: s.rt.plan.Seed, Elapsed: d}
}

func (s *liveSource) Targets() []live.TargetState {
	enabled := map[string]bool{}
	for _, i := range s.rt.router.Enabled() { // indexes execTargets
		enabled[s.rt.execTargets[i].Name] = true
	}
	out := make([]live.TargetState, 0, len(s.rt.targets))
	for _, t := range s.rt.targets {
		out = append(out, live.TargetState{
			Name: t.plan.Name, Enabled: enabled[t.plan.Name], Disabled: s.disabledReason(t.plan.Name, enabled[t.plan.Name]),
			Health: metrics.HealthOf(t.recorder.Window(time.Minute)), Snapshot: t.recorder.Snapshot(),
		})
	}
	return out
}

func (s *liveSource) Policies() []live.PolicyState {
	states := s.gate.engine.State()
	out := make([]live.PolicyState, len(states))
	for i, st := range states {
		out[i] = live.PolicyState(st)
	}
	return out
}
