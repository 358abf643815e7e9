package gates

import (
	"sort"
	"strings"

	"github.com/trafficinator/trafficinator/scenario"
)

// State is where one policy stands on one scope, for live metrics
// (apply --metrics-addr) and the live page (apply --ui).
type State struct {
	Policy  string
	Target  string // "" for the run scope
	Action  string
	Holding bool // its condition held at the last evaluation
	Fired   int  // times it fired so far
	// Firing: it fired in the current episode (its condition has held
	// since); Holding without Firing is pending (its for: runs).
	Firing bool
	When   string
	// Values are what the expression read at the last evaluation, as a
	// firing lists them; nil before the first.
	Values map[string]float64
}

// State lists each policy on every scope it applies to: a run-scope policy
// always (target ""), a target-scope one on each target it has been
// evaluated on so far. Policies keep plan order, targets sort by name. It
// is safe to call while Tick or Final runs on another goroutine.
func (e *Engine) State() []State {
	e.mu.Lock()
	defer e.mu.Unlock()
	fired := map[string]int{}
	for _, f := range e.firings {
		fired[f.Policy+"\x00"+f.Target]++
	}
	var out []State
	for i := range e.policies {
		pol := &e.policies[i]
		for _, target := range e.scopeNames(pol) {
			key := pol.Name + "\x00" + target
			_, holding := e.held[key]
			out = append(out, State{Policy: pol.Name, Target: target, Action: pol.Action, Holding: holding, Fired: fired[key],
				Firing: holding && e.fired[key], When: pol.When, Values: e.last[key]})
		}
	}
	return out
}

// scopeNames returns the targets pol has been evaluated on: evaluate sets
// fired[key] on every evaluation, true or false.
func (e *Engine) scopeNames(pol *compiled) []string {
	if pol.Scope != scenario.ScopeTarget {
		return []string{""}
	}
	prefix := pol.Name + "\x00"
	var names []string
	for key := range e.fired {
		if target, ok := strings.CutPrefix(key, prefix); ok {
			names = append(names, target)
		}
	}
	sort.Strings(names)
	return names
}
