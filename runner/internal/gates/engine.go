// Package gates evaluates a run's failure policies: every second while the
// run goes on, and once more at the end over the whole run (and again when
// reports are merged). It decides when a policy fires and records each
// firing; what a firing does (stop the run, disable a target) is left to
// the Actions the runner provides.
//
// The policy language itself (the variables, the static checks, the
// compilation of `when:`) is one package, scenario/internal/policy, which
// validate uses without an engine. This package is its evaluator against a
// run's figures (runner/internal/metrics): it cannot live beside the
// language, since scenario/ never imports the runner, and the runner and
// report both need it.
package gates

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// Scope is the figures one evaluation reads: a target's, or the run's.
type Scope struct {
	Target   string // "" for the run scope
	Snapshot metrics.Snapshot
	Window   func(time.Duration) metrics.Snapshot
	// OptionalUnavailable is a fact of the run, the same in every scope:
	// the optional targets that failed the preflight.
	OptionalUnavailable int64
	// Verified is what delivery verification found for the scope; only
	// Verify reads it.
	Verified *Verified
}

// Verified is a scope's verification figures, or why it has none.
type Verified struct {
	Values scenario.PolicyVerification
	// Missing, when not "", says why there are no values (the scope was
	// skipped, or its verification failed): the policies that read them
	// then fire, since a gate must never pass on figures nobody read.
	Missing string
}

// Actions carry out firings. Disable returns false when the target was the
// last one enabled (the engine then aborts instead).
type Actions interface {
	Abort(f Firing)
	Disable(target string, f Firing) bool
}

// Firing is one time a policy fired, as the report lists it.
type Firing struct {
	Policy   string             `json:"policy"`
	Scope    string             `json:"scope"`
	Target   string             `json:"target,omitempty"`
	Action   string             `json:"action"`
	When     string             `json:"when"`
	Line     int                `json:"line"`
	At       time.Time          `json:"at"`
	ElapsedS float64            `json:"elapsed_s"`
	Phase    string             `json:"phase"` // live | end
	Values   map[string]float64 `json:"values"`
	Effect   string             `json:"effect,omitempty"` // what the action did
	// Error is set when the expression could not be evaluated: the policy
	// then fires as if its condition held (a broken gate never passes).
	Error string `json:"error,omitempty"`
}

// Engine evaluates the policies of one plan. Tick and Final run on one
// goroutine at a time; mu lets State read the engine from another one (a
// metrics scrape) meanwhile.
type Engine struct {
	// Logf, when set, receives a line for each expression that fails to
	// evaluate.
	Logf func(format string, args ...any)

	mu       sync.Mutex
	policies []compiled
	actions  Actions
	held     map[string]time.Time          // policy/target → since when the condition holds
	fired    map[string]bool               // policy/target → fired in the current episode
	last     map[string]map[string]float64 // policy/target → values read at the last evaluation (State)
	firings  []Firing
	failed   bool
	aborted  bool
}

type compiled struct {
	plan.Policy
	info    scenario.PolicyInfo
	program *vm.Program
}

// New prepares the engine for p's policies.
func New(p *plan.Plan, actions Actions) *Engine {
	e := &Engine{actions: actions, held: map[string]time.Time{}, fired: map[string]bool{}, last: map[string]map[string]float64{}}
	for _, pol := range p.Policies {
		e.policies = append(e.policies, compiled{Policy: pol, info: scenario.AnalyzePolicy(pol.When), program: pol.Program})
	}
	return e
}

// LongestWindow is the longest window span any policy reads.
func LongestWindow(p *plan.Plan) time.Duration {
	var longest time.Duration
	for _, pol := range p.Policies {
		for _, s := range scenario.AnalyzePolicy(pol.When).Spans {
			longest = max(longest, s)
		}
	}
	return longest
}

// Failed reports whether a fail or abort policy fired.
func (e *Engine) Failed() bool { return e.failed }

// Aborted reports whether an abort policy fired.
func (e *Engine) Aborted() bool { return e.aborted }

// Firings returns every firing so far, in order.
func (e *Engine) Firings() []Firing { return e.firings }

// Tick evaluates every policy against the current figures. targets are the
// enabled targets' scopes; run is the totals.
func (e *Engine) Tick(now time.Time, elapsed time.Duration, targets []Scope, run Scope) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.policies {
		pol := &e.policies[i]
		if pol.info.EndOnly {
			continue // read by Verify, once verification is done
		}
		for _, sc := range e.scopesOf(pol, targets, run) {
			e.evaluate(pol, sc, now, elapsed, false)
		}
	}
}

// Final evaluates, over the whole run, the policies that have no for:
// (a sustained condition is decided while the run goes on). It never
// disables a target: the run is over.
func (e *Engine) Final(now time.Time, elapsed time.Duration, targets []Scope, run Scope) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.policies {
		pol := &e.policies[i]
		if pol.For > 0 || pol.info.EndOnly {
			continue
		}
		for _, sc := range e.scopesOf(pol, targets, run) {
			sc.Window = nil // windows mean nothing after the run
			e.evaluate(pol, sc, now, elapsed, true)
		}
	}
}

// Verify evaluates, after delivery verification, the policies that read
// its figures (and only those) over each scope's Verified: a scope without
// values fires them, with the reason as the firing's error.
func (e *Engine) Verify(now time.Time, elapsed time.Duration, targets []Scope, run Scope) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.policies {
		pol := &e.policies[i]
		if !pol.info.EndOnly {
			continue
		}
		for _, sc := range e.scopesOf(pol, targets, run) {
			sc.Window = nil
			if sc.Verified == nil || sc.Verified.Missing != "" {
				why := "verification did not run"
				if sc.Verified != nil {
					why = sc.Verified.Missing
				}
				env, _ := buildEnv(sc, elapsed)
				e.fireError(pol, sc, env, now, elapsed, true, errors.New(why))
				continue
			}
			e.evaluate(pol, sc, now, elapsed, true)
		}
	}
}

func (e *Engine) scopesOf(pol *compiled, targets []Scope, run Scope) []Scope {
	if pol.Scope != scenario.ScopeTarget {
		return []Scope{run}
	}
	if len(pol.Targets) == 0 {
		return targets
	}
	var out []Scope
	for _, t := range targets {
		for _, name := range pol.Targets {
			if t.Target == name {
				out = append(out, t)
			}
		}
	}
	return out
}

// evaluate runs one policy on one scope and fires it when its condition
// has held for its for: duration. A condition that reads a figure with no
// sample yet counts as false: nothing fires on no data (unlike k6, which
// passes thresholds with zero samples, k6#4283). An expression that fails
// to evaluate (a modulo by zero, expr's memory budget) fires at once,
// with the error: treating it as false would let a broken gate pass.
func (e *Engine) evaluate(pol *compiled, sc Scope, now time.Time, elapsed time.Duration, final bool) {
	key := pol.Name + "\x00" + sc.Target
	env, empty := buildEnv(sc, elapsed)
	if !*empty {
		e.last[key] = values(pol.info.Vars, env)
	}
	ok := false
	if !(pol.info.Sampled && (*empty || noSamples(sc.Snapshot))) {
		out, err := vm.Run(pol.program, env)
		if err != nil {
			e.fireError(pol, sc, env, now, elapsed, final, err)
			return
		}
		b, _ := out.(bool)
		ok = b && !*empty
	}
	if !ok {
		delete(e.held, key)
		e.fired[key] = false
		return
	}
	since, holding := e.held[key]
	if !holding {
		since = now
		e.held[key] = now
	}
	if final {
		if e.fired[key] {
			return // already fired in this episode during the run
		}
	} else if now.Sub(since) < pol.For.D() || e.fired[key] {
		return
	}
	e.fired[key] = true
	e.fire(pol, sc, env, now, elapsed, final, "")
}

// fireError fires pol on sc for an evaluation error, once per episode
// (until the expression evaluates again).
func (e *Engine) fireError(pol *compiled, sc Scope, env *scenario.PolicyEnv, now time.Time, elapsed time.Duration, final bool, err error) {
	key := pol.Name + "\x00" + sc.Target
	if _, holding := e.held[key]; !holding {
		e.held[key] = now
	}
	if e.fired[key] {
		return
	}
	e.fired[key] = true
	msg := firstLine(err.Error())
	if e.Logf != nil {
		scope := ""
		if sc.Target != "" {
			scope = " for target " + sc.Target
		}
		e.Logf("policy %q (line %d)%s could not be evaluated: %s; it fires as %s", pol.Name, pol.Line, scope, msg, pol.Action)
	}
	e.fire(pol, sc, env, now, elapsed, final, msg)
}

// firstLine drops the source excerpt that expr appends to runtime errors.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func noSamples(s metrics.Snapshot) bool {
	c := s.Counters
	return c.OK+c.Rejected+c.Failed+c.Unknown == 0 // unknown hits are samples: errors
}

// fire records a firing and carries out its action. evalErr is the
// evaluation error it fires for, or "".
func (e *Engine) fire(pol *compiled, sc Scope, env *scenario.PolicyEnv, now time.Time, elapsed time.Duration, final bool, evalErr string) {
	f := Firing{
		Policy: pol.Name, Scope: pol.Scope, Target: sc.Target, Action: pol.Action, When: pol.When,
		Line: pol.Line, At: now.UTC(), ElapsedS: elapsed.Seconds(), Phase: "live",
		Values: values(pol.info.Vars, env), Error: evalErr,
	}
	if final {
		f.Phase = "end"
	}
	e.act(&f, pol, final)
	if evalErr != "" {
		f.Effect = "the expression could not be evaluated (" + evalErr + "): " + f.Effect
	}
	e.firings = append(e.firings, f)
}

// act carries out a firing's action and says what it did in f.Effect.
func (e *Engine) act(f *Firing, pol *compiled, final bool) {
	switch pol.Action {
	case scenario.ActionFail:
		e.failed = true
		f.Effect = "the run fails (exit code 1)"
	case scenario.ActionAbort:
		e.failed, e.aborted = true, true
		f.Effect = "the run is aborted (exit code 1)"
		if !final {
			e.actions.Abort(*f)
		}
	case scenario.ActionDisableTarget:
		switch {
		case final:
			f.Effect = "none: the run is over"
		case e.actions.Disable(f.Target, *f):
			f.Effect = "target " + f.Target + " disabled; its share goes to the other targets"
		default:
			e.failed, e.aborted = true, true
			f.Effect = "target " + f.Target + " was the last one enabled: the run is aborted (exit code 1)"
			e.actions.Abort(*f)
		}
	default:
		f.Effect = "warning only"
	}
}

// values records what the expression read, for the report. Each variable
// is itself an expression (Analyze writes them so), evaluated against the
// same environment; status is listed code by code.
func values(vars []string, env *scenario.PolicyEnv) map[string]float64 {
	out := map[string]float64{}
	for _, v := range vars {
		if v == "status" {
			for _, code := range slices.Sorted(maps.Keys(env.Status)) {
				out["status["+code+"]"] = float64(env.Status[code])
			}
			continue
		}
		got, err := expr.Eval(v, env)
		if err != nil {
			continue
		}
		switch x := got.(type) {
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				continue // JSON has no such number: a ratio over nothing expected
			}
			out[v] = x
		case int64:
			out[v] = float64(x)
		case int:
			out[v] = float64(x)
		}
	}
	return out
}
