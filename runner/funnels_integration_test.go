package runner

import (
	"context"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// Every funnel visit is counted in the report: started, completed, and the
// visits that reached each step.
func TestFunnelCountersInTheReport(t *testing.T) {
	src := `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: funnels }
run: { rate: 50/s, duration: 2s, concurrency: 200, seed: 9 }
targets:
  - { name: local, kind: sink, site_id: 1 }
traffic:
  pause: { min: 1ms, max: 2ms }
  funnels:
    - name: checkout
      probability: 1
      steps:
        - { type: pageview, url: /products/a }
        - { type: event, category: Cart, action: Add }
        - { type: ecommerce, order_value: { min: 40, max: 120 } }
`
	res := scenario.Load("funnels.yaml", []byte(src), scenario.Options{})
	if !res.Valid() {
		t.Fatal(res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), p, Options{NoPreflight: true, Grace: exec.WaitForAll})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Total.Counters
	f, ok := c.Funnels["checkout"]
	if !ok || f.Started != c.Visits || f.Completed != f.Started || len(f.Steps) != 3 {
		t.Fatalf("funnel counts %+v for %d visits", f, c.Visits)
	}
	for i, n := range f.Steps {
		if n != f.Started {
			t.Fatalf("step %d reached by %d of %d visits", i+1, n, f.Started)
		}
	}
	if c.HitsByKind["order"] != c.Visits || c.Rejected+c.Failed != 0 {
		t.Fatalf("every funnel visit orders once, and the sink accepts all: %+v", c)
	}
}
