package runner_test

// This test runs what the legacy adapter (scenario/legacy) migrates; it
// lives here, not beside the adapter, because scenario must not import
// runner, not even in tests.

import (
	"context"
	"testing"
	"time"
	_ "time/tzdata" // CET, Europe/Berlin, ... on machines without zoneinfo

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/scenario"
)

// TestApplyMigratedAgainstSink runs the migrated realtime scenarios for a
// moment against the built-in sink (each target becomes kind: sink on a
// loopback port, the rate goes up and the pauses down) and checks that the
// sink accepted every hit: what migrates also runs.
func TestApplyMigratedAgainstSink(t *testing.T) {
	if testing.Short() {
		t.Skip("runs traffic for a few seconds")
	}
	for _, name := range []string{"light.env", "heavy-geo.env", "multi-target.env"} {
		t.Run(name, func(t *testing.T) {
			res := loadtest.MigrateLegacyFile(t, name, loadtest.LegacyOptions())
			lr := loadtest.LoadMigrated(t, "testdata/"+name, res)
			if !lr.Valid() {
				t.Fatalf("invalid: %v", lr.Diags)
			}
			s := lr.Scenario
			for i := range s.Targets {
				s.Targets[i].Kind, s.Targets[i].URL = scenario.KindSink, ""
			}
			s.Run.Rate = &scenario.Rate{Raw: "200/s", PerSecond: 200}
			s.Run.Duration = &scenario.Duration{Raw: "2s", D: 2 * time.Second}
			s.Run.DailyCap = 0
			s.Traffic.Pause = &scenario.DurationRange{
				Min: scenario.Duration{Raw: "1ms", D: time.Millisecond}, Max: scenario.Duration{Raw: "3ms", D: 3 * time.Millisecond}}
			seed := uint64(3)
			p, err := runner.CompilePlan(s, runner.PlanOptions{Seed: &seed, MaxVisits: 150})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := runner.Run(context.Background(), p, runner.Options{Grace: 10 * time.Second, NoPreflight: true})
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Total.Counters
			if c.Visits == 0 || c.OK == 0 || c.OK != c.Hits || c.Rejected+c.Failed != 0 {
				t.Errorf("visits %d, hits %d, ok %d, rejected %d, failed %d, errors %v", c.Visits, c.Hits, c.OK, c.Rejected, c.Failed, c.Errors)
			}
			for _, tg := range rep.Targets {
				switch {
				case tg.Name == "old" && tg.Counters.Hits != 0:
					t.Errorf("the disabled target got %d hits", tg.Counters.Hits)
				case tg.Name != "old" && tg.Counters.Hits == 0:
					t.Errorf("target %s got no hits", tg.Name)
				}
			}
			if name == "heavy-geo.env" && !p.Targets[0].Features.Geo {
				t.Error("geo is off: the run did not exercise cip with a token")
			}
		})
	}
}
