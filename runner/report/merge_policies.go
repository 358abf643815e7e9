package report

import (
	"fmt"
	"time"

	"github.com/trafficinator/trafficinator/scenario"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// endResult is what the end-of-run evaluation of merged figures found.
type endResult struct {
	firings []gates.Firing
	failed  bool
	aborted bool
}

// evaluateEnd evaluates the policies without for: over the merged figures
// of every target and of the run, exactly as the runner does once a run
// is over (gates.Engine.Final), at the merged end time.
func evaluateEnd(r *Report) (endResult, error) {
	p := &plan.Plan{}
	for _, d := range r.PoliciesDefined {
		prog, err := scenario.CompilePolicy(d.When)
		if err != nil {
			return endResult{}, fmt.Errorf("policy %q (line %d): %v", d.Name, d.Line, err)
		}
		p.Policies = append(p.Policies, plan.Policy{
			Name: d.Name, Scope: d.Scope, Targets: d.Targets, When: d.When,
			For: d.For, Action: d.Action, Line: d.Line, Program: prog,
		})
	}
	unavailable := optionalUnavailable(r.Preflight)
	var targets []gates.Scope
	for _, t := range r.Targets {
		s, err := t.Snapshot()
		if err != nil {
			return endResult{}, err
		}
		targets = append(targets, gates.Scope{Target: t.Name, Snapshot: s, OptionalUnavailable: unavailable})
	}
	total, err := r.Total.Snapshot()
	if err != nil {
		return endResult{}, err
	}
	e := gates.New(p, noActions{})
	elapsed := time.Duration(r.Run.DurationS * float64(time.Second))
	e.Final(r.Run.End, elapsed, targets, gates.Scope{Snapshot: total, OptionalUnavailable: unavailable})
	return endResult{firings: e.Firings(), failed: e.Failed(), aborted: e.Aborted()}, nil
}

// noActions: after the run, firings change nothing but the outcome.
type noActions struct{}

func (noActions) Abort(gates.Firing)                {}
func (noActions) Disable(string, gates.Firing) bool { return false }

// optionalUnavailable counts the optional targets that failed the
// preflight; over merged parts, each part's failures count.
func optionalUnavailable(rows []PreflightRow) int64 {
	var n int64
	for _, row := range rows {
		if row.Optional && !row.Reachable {
			n++
		}
	}
	return n
}
