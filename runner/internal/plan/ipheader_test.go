package plan_test

import (
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// TestIPHeaderKeepsGeo: a target without token_auth but with ip_header
// draws an address per visit (geo on, no "geo is turned off" warning) and
// hands the header to its kind; ip_header with bulk is refused where it
// is written.
func TestIPHeaderKeepsGeo(t *testing.T) {
	yaml := kindScenario("  - {name: m, url: https://m.example/matomo.php, site_id: 1, ip_header: X-Forwarded-For}\n  - {name: n, url: https://n.example/matomo.php, site_id: 1}\n") +
		"traffic: {features: {geo: true}}\n"
	res := scenario.Load("k.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, CheckTarget: plan.CheckTarget})
	if res.Scenario == nil {
		t.Fatalf("not loaded: %v", res.Diags)
	}
	seed := uint64(1)
	p, err := plan.Compile(res.Scenario, plan.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Targets[0].Features.Geo || p.Targets[0].Settings.IPHeader != "X-Forwarded-For" {
		t.Errorf("target m: geo %v, ip_header %q", p.Targets[0].Features.Geo, p.Targets[0].Settings.IPHeader)
	}
	if p.Targets[1].Features.Geo {
		t.Error("target n has no token and no ip_header, and geo stayed on")
	}
	for _, w := range p.Warnings {
		if strings.Contains(w.Message, `"m" has no token_auth: geo`) {
			t.Errorf("warning for m: %s", w.Message)
		}
	}
	got := diags(t, kindScenario("  - name: m\n    url: https://m.example/matomo.php\n    site_id: 1\n    bulk: 10\n    ip_header: X-Forwarded-For\n"))
	want := "10:16 error /targets/0/ip_header: ip_header needs bulk: 0: a bulk request carries many visitors, and the header only one address | remove bulk, or send a token_auth and cip instead"
	if strings.Join(got, "\n") != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
