package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// TestVerifyTokenDefaultsAndIsRedacted: verify_token defaults to
// token_auth, wins when set, and the plan's JSON never shows either.
func TestVerifyTokenDefaultsAndIsRedacted(t *testing.T) {
	yaml := kindScenario("  - name: a\n    url: https://m.example/matomo.php\n    site_id: 1\n    token_auth: ${TOK}\n" +
		"  - name: b\n    url: https://m.example/matomo.php\n    site_id: 2\n    token_auth: ${TOK}\n    verify_token: ${VIEW}\n" +
		"  - {name: c, url: https://m.example/matomo.php, site_id: 3}\n")
	env := map[string]string{"TOK": "0123456789abcdef0123456789abcdef", "VIEW": "fedcba9876543210fedcba9876543210"}
	res := scenario.Load("k.yaml", []byte(yaml), scenario.Options{Lookup: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, CheckTarget: plan.CheckTarget})
	if res.Scenario == nil {
		t.Fatalf("not loaded: %v", res.Diags)
	}
	seed := uint64(1)
	p, err := plan.Compile(res.Scenario, plan.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{string(p.Targets[0].Settings.VerifyToken), string(p.Targets[1].Settings.VerifyToken), string(p.Targets[2].Settings.VerifyToken)}
	want := []string{env["TOK"], env["VIEW"], ""}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("target %d: verify token %q, want %q", i, got[i], want[i])
		}
	}
	var buf bytes.Buffer
	if err := plan.WriteJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, env["TOK"]) || strings.Contains(out, env["VIEW"]) || strings.Count(out, `"verify_token": "[redacted]"`) != 3 {
		// Two compiled targets, and target b in the scenario's copy.
		t.Errorf("plan JSON shows a token or lacks the redacted verify_token:\n%s", out)
	}
}
