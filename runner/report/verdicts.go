package report

import (
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/scenario"
)

// The gate outputs turn a report's policy verdicts into what CI systems
// read besides the exit code: JUnit XML (junit.go) and, under GitHub
// Actions, annotations on the policies' lines (annotations.go).
// docs/reports.md has the formats.

// verdict is one (policy, target) pair and its firings; target is "" for
// scope: run.
type verdict struct {
	policy, action, when, target string
	line                         int
	firings                      []gates.Firing
}

// failing reports whether the pair fails the run.
func (v *verdict) failing() bool {
	return len(v.firings) > 0 && (v.action == scenario.ActionFail || v.action == scenario.ActionAbort)
}

// verdicts lists every pair: each defined policy once for scope: run and
// once per target (its targets:, else all) for scope: target, then the
// pairs of firings that no definition covers (reports without
// policies_defined).
func verdicts(rep *Report) []*verdict {
	var out []*verdict
	index := map[string]*verdict{}
	add := func(v *verdict) {
		key := v.policy + "\x00" + v.target
		if index[key] == nil {
			index[key] = v
			out = append(out, v)
		}
	}
	for _, p := range rep.PoliciesDefined {
		if p.Scope != scenario.ScopeTarget {
			add(&verdict{policy: p.Name, action: p.Action, when: p.When, line: p.Line})
			continue
		}
		targets := p.Targets
		if len(targets) == 0 {
			for _, t := range rep.Targets {
				targets = append(targets, t.Name)
			}
		}
		for _, t := range targets {
			add(&verdict{policy: p.Name, action: p.Action, when: p.When, line: p.Line, target: t})
		}
	}
	for _, f := range rep.Policies {
		add(&verdict{policy: f.Policy, action: f.Action, when: f.When, line: f.Line, target: f.Target})
		v := index[f.Policy+"\x00"+f.Target]
		v.firings = append(v.firings, f)
	}
	return out
}

// firedMessage reads "policy NAME fired: WHEN (values)", naming the target
// for scope: target and the count when it fired more than once.
func (v *verdict) firedMessage() string {
	f := v.firings[0]
	who := "policy " + v.policy + " fired"
	if v.target != "" {
		who += " for target " + v.target
	}
	msg := fmt.Sprintf("%s: %s (%s)", who, v.when, valuesText(f.Values))
	if n := len(v.firings); n > 1 {
		msg += fmt.Sprintf(" — fired %d times", n)
	}
	return msg
}

// firingLines describes each firing: when, the values read, the effect.
func (v *verdict) firingLines() string {
	var b strings.Builder
	for _, f := range v.firings {
		at := fmt.Sprintf("at %.0fs", f.ElapsedS)
		if f.Phase == "end" {
			at = "at the end, over the whole run"
		}
		fmt.Fprintf(&b, "%s: %s fired %s: %s", v.policy, v.when, at, valuesText(f.Values))
		if f.Effect != "" {
			b.WriteString("; " + f.Effect)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// unexplainedFailure describes a failed run that no fail or abort policy
// explains (no target left, an interruption), or returns "".
func unexplainedFailure(rep *Report, vs []*verdict) string {
	if rep.Run.ExitCode == 0 {
		return ""
	}
	for _, v := range vs {
		if v.failing() {
			return ""
		}
	}
	msg := fmt.Sprintf("the run ended %s (%s) with exit code %d", rep.Run.Outcome, rep.Run.StopReason, rep.Run.ExitCode)
	if rep.Backfill != nil {
		// The backfill's built-in verdicts (docs/backfill.md#accounting).
		for _, v := range rep.Backfill.Verdicts {
			msg += "; " + v.Name + ": " + v.Message
		}
	}
	if s := rep.Verification; s != nil && s.Status != VerifyVerified && s.Status != VerifySkipped {
		msg += "; verification: " + s.Status
	}
	return msg
}
