package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/schema"
)

// realRunScenario runs three seconds against two in-process sinks. Its
// policies fire in the ways a report records: a disable_target with for:
// (b is disabled at the second tick), a warn on the run and a fail per
// target; one policy never fires.
const realRunScenario = `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: report-schema }
run: { rate: 40/s, duration: 3s, concurrency: 50, seed: 3 }
targets:
  - { name: a, kind: sink, site_id: 1, delivery: at_least_once }
  - { name: b, kind: sink, site_id: 1 }
traffic:
  pageviews: { min: 1, max: 3 }
  pause: { min: 0s, max: 10ms }
  features:
    ecommerce: { probability: 0.3 }
    site_search: { probability: 0.3 }
policies:
  - name: b-busy
    scope: target
    targets: [b]
    when: visits > 3
    for: 500ms
    action: disable_target
  - name: any-traffic
    when: hits > 0
    action: warn
  - name: slow
    scope: target
    when: p95_ms > 0
    action: fail
  - name: never
    when: rejected > 1000000
    action: abort
`

// realReports runs the scenario once per test binary: the report tests
// share its reports (one with the preflight, which is what apply does).
var realReports = sync.OnceValues(func() (*report.Report, error) {
	res := scenario.Load("report-schema.yaml", []byte(realRunScenario), scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
	if !res.Valid() {
		return nil, fmt.Errorf("invalid scenario: %v", res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		return nil, err
	}
	return runner.Run(context.Background(), p, runner.Options{RunID: "schema1", Grace: 5 * time.Second})
})

func realReport(t *testing.T) *report.Report {
	t.Helper()
	r, err := realReports()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func encode(t *testing.T, r *report.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The report of a real run validates against schema/report.v3.json, and
// it holds what the scenario makes it hold (so that the schema is checked
// against every optional part, not an empty report).
func TestRealReportValidatesAgainstSchema(t *testing.T) {
	r := realReport(t)
	data := encode(t, r)
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if v := schema.ValidateReport(doc); v != nil {
		t.Fatalf("the report breaks its schema: %+v\n%s", v, data)
	}

	if r.Targets[0].Delivery != "at_least_once" || r.Targets[1].Delivery != "" {
		t.Errorf("delivery %q and %q, want at_least_once on a only", r.Targets[0].Delivery, r.Targets[1].Delivery)
	}
	if r.Targets[1].Disabled == nil || r.Targets[1].Disabled.Policy != "b-busy" {
		t.Errorf("target b should be disabled by b-busy: %+v", r.Targets[1].Disabled)
	}
	fired := map[string]int{}
	for _, f := range r.Policies {
		fired[f.Policy+"/"+f.Phase]++
	}
	want := map[string]int{"b-busy/live": 1, "any-traffic/live": 1, "slow/live": 2}
	if len(fired) != len(want) {
		t.Errorf("firings %v, want %v", fired, want)
	}
	for k, n := range want {
		if fired[k] != n {
			t.Errorf("firings %v, want %v", fired, want)
		}
	}
	if len(r.PoliciesDefined) != 4 || r.PoliciesDefined[0].Name != "b-busy" || r.PoliciesDefined[0].For.D() != 500*time.Millisecond ||
		r.PoliciesDefined[0].Targets[0] != "b" || r.PoliciesDefined[3].Line != 28 {
		t.Errorf("policies_defined %+v", r.PoliciesDefined)
	}
	if len(r.Preflight) != 2 || len(r.Sinks) != 2 || len(r.Total.Series) == 0 {
		t.Errorf("preflight %d, sinks %d, total series %d", len(r.Preflight), len(r.Sinks), len(r.Total.Series))
	}
	if r.Run.Outcome != "failed" || r.Run.ExitCode != 1 {
		t.Errorf("outcome %s exit %d, want failed 1", r.Run.Outcome, r.Run.ExitCode)
	}
}

// Decode then WriteJSON gives back the very bytes WriteJSON wrote: the
// sink stats (free-form, keys in struct order) included.
func TestRealReportRoundTripsByteForByte(t *testing.T) {
	data := encode(t, realReport(t))
	r, err := report.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if again := encode(t, r); !bytes.Equal(again, data) {
		t.Fatalf("round trip changed the report:\n%s\nwant:\n%s", again, data)
	}
	if !bytes.Contains(data, []byte(`"when": "p95_ms > 0"`)) {
		t.Errorf("HTML escaping in the JSON: %s", data)
	}
}
