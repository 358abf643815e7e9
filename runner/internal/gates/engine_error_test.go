package gates

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario"

	"github.com/expr-lang/expr"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// A policy whose expression fails to evaluate fires at once with its own
// action, names the error in the firing and in a log line, and fires once
// per episode: a broken gate never passes silently.
func TestRuntimeErrorFires(t *testing.T) {
	acts := &recorded{}
	var logs []string
	// hits*1000000 builds a range beyond expr's memory budget once a hit
	// is recorded: validate cannot know that, the run must say it.
	e := newEngine(t, acts,
		plan.Policy{Name: "budget", When: "len(1..(hits * 1000000)) > 0", Action: "fail", Line: 12},
		plan.Policy{Name: "stop", When: "len(1..(hits * 1000000)) > 0", For: plan.Duration(time.Hour), Action: "abort", Line: 15},
		plan.Policy{Name: "fine", When: "hits > 1000", Action: "fail"},
	)
	e.Logf = func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }
	e.Tick(at(1), time.Second, nil, scope("", 0, 0)) // hits 0: a range of 0 values, no error
	if len(e.Firings()) != 0 {
		t.Fatalf("fired with no hits: %+v", e.Firings())
	}
	for s := 2; s <= 5; s++ {
		e.Tick(at(s), time.Duration(s)*time.Second, nil, scope("", 3, 0))
	}
	e.Final(at(6), 6*time.Second, nil, scope("", 3, 0))
	f := e.Firings()
	if len(f) != 2 || f[0].Policy != "budget" || f[1].Policy != "stop" {
		t.Fatalf("want budget and stop to fire once each (for: does not delay an error), got %+v", f)
	}
	if !e.Failed() || !e.Aborted() || len(acts.aborts) != 1 || acts.aborts[0] != "stop" {
		t.Fatalf("failed %v aborted %v aborts %v", e.Failed(), e.Aborted(), acts.aborts)
	}
	const wantErr = "memory budget exceeded (1:6)"
	if f[0].Error != wantErr || f[0].ElapsedS != 2 || f[0].Phase != "live" {
		t.Errorf("firing %+v, want error %q at 2s", f[0], wantErr)
	}
	if want := "the expression could not be evaluated (" + wantErr + "): the run fails (exit code 1)"; f[0].Effect != want {
		t.Errorf("effect %q\nwant   %q", f[0].Effect, want)
	}
	if f[0].Values["hits"] != 3 {
		t.Errorf("values %v", f[0].Values)
	}
	wantLog := `policy "budget" (line 12) could not be evaluated: ` + wantErr + "; it fires as fail"
	if len(logs) != 2 || logs[0] != wantLog || !strings.HasPrefix(logs[1], `policy "stop" (line 15)`) {
		t.Errorf("logs %q\nwant first %q", logs, wantLog)
	}
}

// A new episode starts once the expression evaluates again.
func TestRuntimeErrorEpisodes(t *testing.T) {
	e := newEngine(t, &recorded{}, plan.Policy{Name: "w", When: "len(1..(hits * 1000000)) > 5", Action: "warn"})
	e.Tick(at(1), time.Second, nil, scope("", 1, 0))
	e.Tick(at(2), 2*time.Second, nil, scope("", 1, 0))
	e.Tick(at(3), 3*time.Second, nil, scope("", 0, 0)) // evaluates: false
	e.Tick(at(4), 4*time.Second, nil, scope("", 1, 0))
	f := e.Firings()
	if len(f) != 2 || f[0].ElapsedS != 1 || f[1].ElapsedS != 4 || e.Failed() {
		t.Fatalf("firings %+v failed %v", f, e.Failed())
	}
	if f[0].Effect != "the expression could not be evaluated (memory budget exceeded (1:6)): warning only" {
		t.Errorf("effect %q", f[0].Effect)
	}
}

// An expression validate would now refuse (a report written before the
// static rules, say) still fails the run when it errors: 10 % errors with
// no error was the reported case.
func TestModuloByZeroFailsTheRun(t *testing.T) {
	prog, err := expr.Compile("10 % errors == 1", expr.Env(scenario.PolicyEnv{}), expr.AsBool())
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Policies: []plan.Policy{{Name: "mod", Scope: "run", When: "10 % errors == 1", Action: "fail", Program: prog}}}
	e := New(p, &recorded{})
	e.Final(at(2), 2*time.Second, nil, scope("", 5, 0))
	f := e.Firings()
	if len(f) != 1 || !e.Failed() || f[0].Error != "runtime error: integer divide by zero (1:4)" {
		t.Fatalf("failed %v firings %+v", e.Failed(), f)
	}
}
