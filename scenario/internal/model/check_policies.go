package model

import (
	"errors"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/policy"
	"github.com/trafficinator/trafficinator/schema"
)

// Policy scopes and actions.
const (
	ScopeRun    = "run"
	ScopeTarget = "target"

	ActionWarn          = "warn"
	ActionFail          = "fail"
	ActionAbort         = "abort"
	ActionDisableTarget = "disable_target"
)

// EffectiveScope is the policy's scope, run when unset.
func (p *Policy) EffectiveScope() string {
	if p.Scope == "" {
		return ScopeRun
	}
	return p.Scope
}

func (c *checker) checkPolicies() {
	names := map[string]bool{}
	for _, t := range c.s.Targets {
		names[t.Name] = true
	}
	seen := map[string]bool{}
	for i := range c.s.Policies {
		pol := &c.s.Policies[i]
		p := idx("/policies", i)
		if seen[pol.Name] {
			c.errorf(p+"/name", "", "duplicate policy name %q", pol.Name)
		}
		seen[pol.Name] = true
		c.duration(p+"/for", pol.For)
		if c.checkWhen(p+"/when", pol.When) && pol.For != nil && pol.For.D > 0 {
			if info := policy.Analyze(pol.When); info.EndOnly {
				c.errorKey(p+"/for", "remove for: (the policy is evaluated once, after verification)",
					"policy %q reads %s, known only at the end of a run: it cannot hold for a duration",
					pol.Name, endOnlyVars(info.Vars))
			}
		}
		scope := pol.EffectiveScope()
		if len(pol.Targets) > 0 && scope != ScopeTarget {
			c.errorKey(p+"/targets", "set scope: target, or remove targets", "targets applies only to scope: target")
		}
		if pol.Action == ActionDisableTarget && scope != ScopeTarget {
			c.errorf(p+"/action", "set scope: target", "disable_target needs scope: target (a run has no single target to disable)")
		}
		for j, name := range pol.Targets {
			if !names[name] {
				hint := ""
				if s := schema.Suggest(name, targetNames(c.s)); s != "" {
					hint = "did you mean \"" + s + "\"?"
				}
				c.errorf(idx(p+"/targets", j), hint, "policy %q names unknown target %q", pol.Name, name)
			}
		}
	}
}

// checkWhen compiles the expression against the runner's environment and
// places a compile error at its column inside the YAML value; it says
// whether the expression compiled.
func (c *checker) checkWhen(path, when string) bool {
	_, err := policy.Compile(when)
	if err == nil {
		return true
	}
	var pe *policy.Error
	if !errors.As(err, &pe) {
		c.errorf(path, "", "invalid expression: %s", err)
		return false
	}
	pos := c.src.Pos(path, false)
	if n := c.src.Index.nodeOrNil(path); n != nil {
		pos = scalarOffsetPos(c.src.Bytes, n, textOffset(n.Value, pe.Line, pe.Column))
	}
	c.at(diag.Error, pos, path, "invalid expression: "+pe.Message,
		"variables: "+strings.Join(policy.Variables, ", "))
	return false
}

// endOnlyVars names the end-of-run variables among vars.
func endOnlyVars(vars []string) string {
	var out []string
	for _, v := range vars {
		if policy.EndOnly[v] {
			out = append(out, v)
		}
	}
	return strings.Join(out, ", ")
}

func targetNames(s *Scenario) []string {
	out := make([]string, len(s.Targets))
	for i, t := range s.Targets {
		out[i] = t.Name
	}
	return out
}
