package loadtest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// LegacyNow is the clock of the tests that migrate legacy inputs, so that
// backfill windows resolve the same way on every day.
var LegacyNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// LegacyOptions migrate as of LegacyNow with an empty environment: tests
// never read the real one.
func LegacyOptions() scenario.LegacyOptions {
	return scenario.LegacyOptions{Now: LegacyClock, Lookup: func(string) (string, bool) { return "", false }}
}

// LegacyTestdata is the folder of the legacy inputs, which belong to the
// legacy adapter's own tests (scenario/internal/legacy/testdata).
func LegacyTestdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "scenario", "internal", "legacy", "testdata")
}

// MigrateLegacyFile migrates the legacy input name of that folder, under
// the name the adapter's own tests give it (testdata/NAME), so that
// messages match.
func MigrateLegacyFile(t testing.TB, name string, opts scenario.LegacyOptions) *scenario.LegacyResult {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(LegacyTestdata(), name))
	if err != nil {
		t.Fatal(err)
	}
	return scenario.MigrateLegacy(filepath.Join("testdata", name), data, opts)
}

// MigratedLookup is the environment a migrated scenario runs with: what
// the migration found in the .env, then a token for every other variable.
func MigratedLookup(res *scenario.LegacyResult) scenario.Lookup {
	return func(name string) (string, bool) {
		if v, ok := res.Env[name]; ok {
			return v, true
		}
		return "test-token-" + name, true
	}
}

// LoadMigrated loads the YAML of a migration as validate would.
func LoadMigrated(t testing.TB, file string, res *scenario.LegacyResult) *scenario.Result {
	t.Helper()
	if res.YAML == nil {
		t.Fatalf("no YAML; diagnostics:\n%s", LegacyDiags(res))
	}
	return scenario.Load(file, res.YAML, scenario.Options{Lookup: MigratedLookup(res), Now: LegacyClock})
}

// LegacyDiags renders a migration's diagnostics as text with source lines.
func LegacyDiags(res *scenario.LegacyResult) string {
	var b bytes.Buffer
	_ = scenario.WriteDiagnosticsText(&b, res.Diags, res.Source)
	return b.String()
}

// LegacyClock returns LegacyNow: the Now of options that take a clock.
func LegacyClock() time.Time { return LegacyNow }
