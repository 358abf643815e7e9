package legacy_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// TestMigratedScenariosValidate: every migrated scenario loads without an
// error, as validate would load it (tokens set in the environment).
func TestMigratedScenariosValidate(t *testing.T) {
	for _, name := range legacyFiles {
		res := migrateFile(t, name, testOptions())
		lr := loadMigrated(t, filepath.Join("testdata", name+".yaml"), res)
		if lr.Diags.HasErrors() || lr.Scenario == nil {
			var b bytes.Buffer
			_ = diag.WriteText(&b, lr.Diags, func(string) ([]byte, bool) { return res.YAML, true })
			t.Errorf("%s: the migrated scenario does not validate:\n%s", name, b.String())
		}
	}
}

// TestRoundTripSamePlan: the scenario the adapter builds in memory and the
// one read back from its YAML compile to the same plan (same seed).
func TestRoundTripSamePlan(t *testing.T) {
	for _, name := range legacyFiles {
		t.Run(name, func(t *testing.T) {
			res := migrateFile(t, name, testOptions())
			lr := loadMigrated(t, "testdata/"+name, res)
			if !lr.Valid() {
				t.Fatalf("invalid: %v", lr.Diags)
			}
			inMemory := planJSON(t, res.Scenario)
			reloaded := planJSON(t, lr.Scenario)
			if !bytes.Equal(inMemory, reloaded) {
				t.Errorf("plans differ\nin memory: %s\nreloaded:  %s", inMemory, reloaded)
			}
		})
	}
}

// planJSON compiles s with a fixed seed and clock and returns the plan as
// JSON, without what names the file (its path, digest and the positions
// of warnings): the in-memory scenario has no file.
func planJSON(t *testing.T, s *scenario.Scenario) []byte {
	t.Helper()
	seed := uint64(7)
	p, err := runner.CompilePlan(s, runner.PlanOptions{Seed: &seed, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	p.File, p.Digest = "", ""
	for i := range p.Warnings {
		p.Warnings[i].File, p.Warnings[i].Line, p.Warnings[i].Column = "", 0, 0
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
