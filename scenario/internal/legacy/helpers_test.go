package legacy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // CET, Europe/Berlin, ... on machines without zoneinfo

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

// fixedNow is the clock of every test, so that backfill windows resolve
// the same way on every day.
var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func now() time.Time { return fixedNow }

// noEnv is an empty environment: tests never read the real one.
func noEnv(string) (string, bool) { return "", false }

// legacyFiles are the shared legacy inputs that migrate without errors.
var legacyFiles = []string{"light.env", "heavy-geo.env", "backfill.env", "multi-target.env"}

func testOptions() legacy.Options { return legacy.Options{Now: now, Lookup: noEnv} }

func migrateFile(t *testing.T, name string, opts legacy.Options) *legacy.Result {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return legacy.Migrate(path, data, opts)
}

func migrateString(t *testing.T, env string) *legacy.Result {
	t.Helper()
	return legacy.Migrate("test.env", []byte(env), testOptions())
}

// runLookup is the environment a migrated scenario runs with: a token for
// every variable it refers to, then what the migration found in the .env.
func runLookup(res *legacy.Result) scenario.Lookup {
	return func(name string) (string, bool) {
		if v, ok := res.Env[name]; ok {
			return v, true
		}
		return "test-token-" + name, true
	}
}

// loadMigrated loads the YAML of a migration as validate would.
func loadMigrated(t *testing.T, file string, res *legacy.Result) *scenario.Result {
	t.Helper()
	if res.YAML == nil {
		t.Fatalf("no YAML; diagnostics:\n%s", render(res))
	}
	return scenario.Load(file, res.YAML, scenario.Options{Lookup: runLookup(res), Now: now})
}

func render(res *legacy.Result) string {
	var b bytes.Buffer
	_ = diag.WriteText(&b, res.Diags, res.Source)
	return b.String()
}

// diagAt is a diagnostic reduced to what the tests pin down.
type diagAt struct {
	Line, Col int
	Sev       diag.Severity
	Has       string // a substring of the message
}

func findDiag(l diag.List, file string, want diagAt) bool {
	for _, d := range l {
		if d.File == file && d.Line == want.Line && d.Column == want.Col && d.Severity == want.Sev && bytes.Contains([]byte(d.Message), []byte(want.Has)) {
			return true
		}
	}
	return false
}
