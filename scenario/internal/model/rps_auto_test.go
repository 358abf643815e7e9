package model

import (
	"encoding/json"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"go.yaml.in/yaml/v3"
)

// run.backfill.rps takes a number or auto, and writes back as it came.
func TestBackfillRPSAutoOrNumber(t *testing.T) {
	for _, c := range []struct {
		rps  string
		want BackfillRPS
		json string
	}{
		{"auto", BackfillRPS{Auto: true, Pos: diag.Pos{Line: 9, Column: 10}}, `"auto"`},
		{"12.5", BackfillRPS{PerSecond: 12.5, Pos: diag.Pos{Line: 9, Column: 10}}, `12.5`},
	} {
		r := load(t, withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 3\n    rps: "+c.rps+"\n", sinkTarget+"    token_auth: tok-1234\n"), nil)
		if !r.Valid() {
			t.Fatalf("rps %s: invalid:%s", c.rps, dump(r.Diags))
		}
		got := r.Scenario.Run.Backfill.RPS
		if got != c.want {
			t.Errorf("rps %s: %+v, want %+v", c.rps, got, c.want)
		}
		j, _ := json.Marshal(got)
		y, _ := yaml.Marshal(got)
		if string(j) != c.json || string(y) != c.rps+"\n" {
			t.Errorf("rps %s writes back as JSON %s and YAML %q", c.rps, j, y)
		}
	}
}
