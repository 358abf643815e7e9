package plan_test

import (
	"math"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/scenario"
)

// TestRealtimeReturningShare: a realtime run sends returning visits only
// once visitors 30 minutes old exist, so a 2-hour run at 1 visit/s with
// visits of up to 8 minutes has a returning share below the configured
// 0.3: the plan shows it, and the visits the run generates have it.
func TestRealtimeReturningShare(t *testing.T) {
	yaml := "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: {name: back}\nrun: {rate: 1/s, duration: 2h, seed: 3}\n" +
		"targets:\n  - {name: s, kind: sink, site_id: 1}\ntraffic:\n  returning: 0.3\n  visit_duration: {min: 1m, max: 8m}\n"
	res := scenario.Load("r.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, CheckTarget: plan.CheckTarget})
	if !res.Valid() {
		t.Fatalf("invalid: %v", res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 7200 visits; a visitor returns 1 × (1800 + 480 + 1) + 1 = 2282 visits
	// later: 0.3 × (7200 − 2282) / 7200.
	want := 0.3 * (7200 - 2282) / 7200.0
	if math.Abs(p.Expected.ReturningShare-want) > 1e-9 || math.Abs(p.Expected.UniqueVisitors-7200*(1-want)) > 1e-6 {
		t.Errorf("plan: returning share %v, unique visitors %v; want %v, %v", p.Expected.ReturningShare, p.Expected.UniqueVisitors, want, 7200*(1-want))
	}
	var b strings.Builder
	if err := plan.WriteTable(&b, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Expected: 7200 visits from 5725 unique visitors") ||
		!strings.Contains(b.String(), "Returning visitors: 20.5% of visits (traffic.returning 30.0%;") {
		t.Errorf("the plan does not show the returning share:\n%s", b.String())
	}
	cfg, err := p.VisitConfig(&p.Targets[0], nil, "r1")
	if err != nil {
		t.Fatal(err)
	}
	back := 0
	for i := range uint64(7200) {
		v := visit.Generate(cfg, p.Seed, i)
		if v.VisitCount > 1 {
			back++
			if i < 2282 {
				t.Fatalf("visit %d returns before any visitor is 30 minutes old", i)
			}
		}
		v.Release()
	}
	if se := math.Sqrt(want * (1 - want) / 7200); math.Abs(float64(back)/7200-want) > 3*se {
		t.Errorf("%d of 7200 visits return, the plan expects %.4f (3 SE %.4f)", back, want, 3*se)
	}
}
