package runner

import (
	"math"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

// judgeVerification evaluates the policies that read verification figures
// (gates.Engine.Verify) and sets the run's outcome. Without any such
// policy, verification is its own gate: a target that is not verified
// exactly (mismatch, not archived, failed) fails the run; a skipped one
// is shown with its reason.
func judgeVerification(r *report.Report) {
	p := &plan.Plan{}
	gated := false
	for _, d := range r.PoliciesDefined {
		prog, err := scenario.CompilePolicy(d.When)
		if err != nil {
			continue // the run compiled them; a report edited by hand is not judged on them
		}
		p.Policies = append(p.Policies, plan.Policy{Name: d.Name, Scope: d.Scope, Targets: d.Targets, When: d.When,
			For: d.For, Action: d.Action, Line: d.Line, Program: prog})
		gated = gated || scenario.AnalyzePolicy(d.When).EndOnly
	}
	if gated {
		e := gates.New(p, noActions{})
		targets, run := verifiedScopes(r)
		e.Verify(r.Run.End, time.Duration(r.Run.DurationS*float64(time.Second)), targets, run)
		r.Policies = append(r.Policies, e.Firings()...)
		if e.Failed() {
			fail(r)
		}
		return
	}
	switch r.Verification.Status {
	case report.VerifyMismatch, report.VerifyNotArchived, report.VerifyFailed:
		r.Warnings = append(r.Warnings, gateWarning+r.Verification.Status+
			": no policy reads a verification figure, so any difference fails the run (docs/verify.md#gating)")
		fail(r)
	}
}

// fail makes a run that would pass fail (exit code 1).
func fail(r *report.Report) {
	if r.Run.ExitCode == 0 {
		r.Run.Outcome, r.Run.ExitCode = OutcomeFailed, 1
	}
}

// noActions: after the run, firings change nothing but the outcome.
type noActions struct{}

func (noActions) Abort(gates.Firing)                {}
func (noActions) Disable(string, gates.Firing) bool { return false }

// verifiedScopes builds the policy scopes of the targets and of the run,
// with the run's figures and verification's.
func verifiedScopes(r *report.Report) ([]gates.Scope, gates.Scope) {
	var targets []gates.Scope
	var missing string
	for _, t := range r.Targets {
		s, _ := t.Snapshot()
		sc := gates.Scope{Target: t.Name, Snapshot: s, Verified: verifiedOf(t.Verification)}
		if sc.Verified.Missing != "" && missing == "" {
			missing = "target " + t.Name + ": " + sc.Verified.Missing
		}
		targets = append(targets, sc)
	}
	if len(targets) == 0 {
		missing = "the run has no target"
	}
	total, _ := r.Total.Snapshot()
	run := gates.Scope{Snapshot: total, Verified: &gates.Verified{Missing: missing,
		Values: valuesOf(r.Verification.Rows, int64(r.Verification.SampleMismatches))}}
	return targets, run
}

// verifiedOf reads the policy figures from total rows (day ""); a target
// that was not read has none, and says why.
func verifiedOf(v *report.Verification) *gates.Verified {
	out := &gates.Verified{}
	if v == nil {
		out.Missing = "verification did not run"
		return out
	}
	switch v.Status {
	case report.VerifySkipped, report.VerifyFailed, report.VerifyNotArchived:
		out.Missing = "verification " + v.Status + ": " + v.Reason
		return out
	}
	out.Values = valuesOf(v.Rows, int64(len(v.SampleMismatches)))
	return out
}

// valuesOf reads the policy figures from the total rows (day "").
func valuesOf(rows []report.VerifyRow, mismatches int64) scenario.PolicyVerification {
	ratio := func(figure string) float64 {
		for _, row := range rows {
			if row.Day == "" && row.Figure == figure {
				if row.Ratio == nil {
					return math.Inf(1) // recorded what was never sent
				}
				return *row.Ratio
			}
		}
		return 1
	}
	return scenario.PolicyVerification{
		RecordedRatio: ratio(verify.FigVisits), ActionsRatio: ratio(verify.FigActions),
		OrdersRatio: ratio(verify.FigOrders), RevenueRatio: ratio(verify.FigRevenue),
		SampleMismatches: mismatches,
	}
}

// gateWarning starts the warning of the default gate (judgeVerification).
const gateWarning = "verification: "

// resetVerification takes an earlier verification out of r, so that a
// report verified again (the archive appeared since, say) is judged on
// the new one alone: its firings, its warning, and the failure it alone
// caused.
func resetVerification(r *report.Report) {
	if r.Verification == nil {
		return
	}
	r.Verification = nil
	for i := range r.Targets {
		r.Targets[i].Verification = nil
	}
	endOnly := map[string]bool{}
	for _, d := range r.PoliciesDefined {
		endOnly[d.Name] = scenario.AnalyzePolicy(d.When).EndOnly
	}
	kept, failing := r.Policies[:0], false
	for _, f := range r.Policies {
		if endOnly[f.Policy] {
			continue
		}
		kept = append(kept, f)
		failing = failing || f.Action == scenario.ActionFail || f.Action == scenario.ActionAbort
	}
	r.Policies = kept
	warnings := r.Warnings[:0]
	for _, w := range r.Warnings {
		if !strings.HasPrefix(w, gateWarning) {
			warnings = append(warnings, w)
		}
	}
	r.Warnings = warnings
	verdicts := r.Backfill != nil && len(r.Backfill.Verdicts) > 0
	if r.Run.Outcome == OutcomeFailed && !failing && !verdicts {
		r.Run.Outcome, r.Run.ExitCode = OutcomePassed, 0
	}
}
