package gates

import (
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// Policies on verification figures wait for Verify: Tick and Final leave
// them alone, and a scope without figures (skipped, failed) fires them.
func TestVerifyPolicies(t *testing.T) {
	acts := &recorded{}
	e := newEngine(t, acts,
		plan.Policy{Name: "recorded", Scope: "target", When: "recorded_ratio < 0.99", Action: "fail", Line: 20},
		plan.Policy{Name: "run-samples", When: "sample_mismatches > 0", Action: "warn", Line: 24},
		plan.Policy{Name: "errors", When: "errors > 100", Action: "fail", Line: 28})
	now := time.Unix(1e9, 0)
	a, b := scope("a", 10, 0), scope("b", 10, 0)
	run := scope("", 20, 0)
	e.Tick(now, time.Second, []Scope{a, b}, run)
	e.Final(now, time.Second, []Scope{a, b}, run)
	if len(e.Firings()) != 0 {
		t.Fatalf("fired before verification: %+v", e.Firings())
	}
	a.Verified = &Verified{Values: scenario.PolicyVerification{RecordedRatio: 0.98, ActionsRatio: 1}}
	b.Verified = &Verified{Missing: "skipped: target b has no verify_token and no token_auth"}
	run.Verified = &Verified{Values: scenario.PolicyVerification{RecordedRatio: 0.99, SampleMismatches: 0}}
	e.Verify(now, time.Second, []Scope{a, b}, run)
	f := e.Firings()
	if len(f) != 2 || !e.Failed() || e.Aborted() {
		t.Fatalf("firings %+v, failed %v", f, e.Failed())
	}
	if f[0].Policy != "recorded" || f[0].Target != "a" || f[0].Phase != "end" || f[0].Values["recorded_ratio"] != 0.98 || f[0].Error != "" {
		t.Errorf("first firing %+v", f[0])
	}
	if f[1].Policy != "recorded" || f[1].Target != "b" || f[1].Error != "skipped: target b has no verify_token and no token_auth" ||
		f[1].Effect != "the expression could not be evaluated (skipped: target b has no verify_token and no token_auth): the run fails (exit code 1)" {
		t.Errorf("second firing %+v", f[1])
	}
	// A scope that verification never reached fires too.
	e = newEngine(t, acts, plan.Policy{Name: "samples", When: "sample_mismatches > 0", Action: "fail", Line: 3})
	e.Verify(now, time.Second, nil, scope("", 1, 0))
	if f := e.Firings(); len(f) != 1 || f[0].Error != "verification did not run" {
		t.Errorf("%+v", f)
	}
}
