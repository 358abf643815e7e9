package runner_test

import (
	"context"
	"errors"
	"testing"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// TestRunRefusesPlaceholders: a plan compiled while its token was unset
// sends nothing, not even the preflight.
func TestRunRefusesPlaceholders(t *testing.T) {
	sink := startSink(t, loadtest.SinkConfig{})
	yaml := scenarioYAML(scenarioSpec{URL: sink.URL, Token: "${TOK}", Duration: "1s"})
	res := scenario.Load("u.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, DeferSecrets: true})
	if !res.Valid() {
		t.Fatalf("%v", res.Diags)
	}
	p, err := runner.CompilePlan(res.Scenario, runner.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = runner.Run(context.Background(), p, runner.Options{RunID: "unset"})
	var unset *plan.ErrUnset
	if !errors.As(err, &unset) || len(unset.Names) != 1 || unset.Names[0] != "TOK" {
		t.Errorf("Run: %v", err)
	}
	if n := sink.Requests(); n != 0 {
		t.Errorf("%d requests reached the sink", n)
	}
}
