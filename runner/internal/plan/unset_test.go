package plan_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// TestPlanWithoutSecretsIsForReview: a scenario loaded with its tokens
// unset (DeferSecrets, as validate and plan load it) compiles, shows its
// placeholders as [redacted], and refuses to run, naming each variable
// once.
func TestPlanWithoutSecretsIsForReview(t *testing.T) {
	yaml := kindScenario("  - name: a\n    url: https://m.example/matomo.php\n    site_id: 1\n    token_auth: ${TOK}\n" +
		"  - name: b\n    url: https://m.example/matomo.php\n    site_id: 2\n    token_auth: ${TOK}\n    verify_token: ${VIEW}\n")
	res := scenario.Load("k.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, DeferSecrets: true, CheckTarget: plan.CheckTarget})
	if !res.Valid() {
		t.Fatalf("not valid: %v", res.Diags)
	}
	seed := uint64(1)
	p, err := plan.Compile(res.Scenario, plan.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	var unset *plan.ErrUnset
	if err := p.CheckRunnable(); !errors.As(err, &unset) ||
		err.Error() != "variables not set: TOK, VIEW (a plan compiled without its secrets is for review only)" {
		t.Errorf("CheckRunnable: %v", err)
	}
	var buf bytes.Buffer
	if err := plan.WriteJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "unset-") || !strings.Contains(buf.String(), `"[redacted]"`) {
		t.Errorf("plan JSON shows a placeholder:\n%s", buf.String())
	}

	set := scenario.Load("k.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "0123456789abcdef", true }, DeferSecrets: true, CheckTarget: plan.CheckTarget})
	p, err = plan.Compile(set.Scenario, plan.Options{Seed: &seed})
	if err != nil || p.CheckRunnable() != nil {
		t.Errorf("with the secrets set: %v %v", err, p.CheckRunnable())
	}
}
