package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func decodeMigration(t *testing.T, out string) migration {
	t.Helper()
	var m migration
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return m
}

// migrate --format json: the scenario as JSON and as its YAML text, the
// diagnostics as validate --format json writes them, nothing on stderr.
func TestMigrateJSON(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "light.yaml")
	code, stdout, stderr := migrateCLI(t, filepath.Join(legacyTestdata, "light.env"), "--format", "json", "-o", out)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	m := decodeMigration(t, stdout)
	golden, err := os.ReadFile(filepath.Join(legacyTestdata, "light.golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	written, _ := os.ReadFile(out)
	if m.YAML != string(golden) || string(written) != m.YAML {
		t.Errorf("yaml is not the golden scenario, or -o wrote something else:\n%s", m.YAML)
	}
	if m.From != "trafficinator/legacy-env" || m.To != "trafficinator/v1" || !m.Migrated || m.Out != out || m.Errors != 0 || m.Warnings != 0 {
		t.Errorf("header %+v", m)
	}
	doc, _ := m.Scenario.(map[string]any)
	if doc["apiVersion"] != "trafficinator/v1" || doc["kind"] != "Scenario" {
		t.Errorf("scenario %v", m.Scenario)
	}
	found := false
	for _, d := range m.Diagnostics {
		if d.Line == 20 && d.Column == 1 && d.Severity.String() == "info" && filepath.Base(d.File) == "light.env" {
			found = true
		}
	}
	if !found {
		t.Errorf("no info diagnostic at light.env:20:1: %+v", m.Diagnostics)
	}
}

func TestMigrateJSONHidesTheToken(t *testing.T) {
	code, stdout, stderr := migrateCLI(t, filepath.Join(legacyTestdata, "backfill.env"), "--format", "json")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	if strings.Contains(stdout, "0123456789abcdef0123456789abcdef") || !strings.Contains(stdout, `"token_auth": "${MATOMO_TOKEN_AUTH}"`) {
		t.Errorf("the token is printed, or not as a reference:\n%s", stdout)
	}
}

func TestMigrateJSONWithErrorsExitsOne(t *testing.T) {
	code, stdout, stderr := migrateCLI(t, filepath.Join(legacyTestdata, "broken.env"), "--format", "json")
	if code != exitInvalid || stderr != "" {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	m := decodeMigration(t, stdout)
	if m.Migrated || m.Scenario != nil || m.YAML != "" || m.Errors != 11 || m.Warnings != 2 || len(m.Diagnostics) < 13 {
		t.Errorf("got %+v", m)
	}
	// In the order the text form lists them, with their positions.
	found := false
	for _, d := range m.Diagnostics {
		found = found || d.Line == 2 && d.Column == 12 && d.Severity.String() == "error" &&
			d.Message == "the tracking URL scheme must be http or https, not ftp"
	}
	if !found {
		t.Errorf("no error at 2:12 in %+v", m.Diagnostics)
	}
}

func TestMigrateJSONOfACurrentScenario(t *testing.T) {
	dir := tree(t, map[string]string{"v1.yaml": validScenario})
	code, stdout, stderr := migrateCLI(t, filepath.Join(dir, "v1.yaml"), "--format", "json")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	m := decodeMigration(t, stdout)
	if m.Migrated || m.From != "trafficinator/v1" || m.To != "trafficinator/v1" || m.YAML != validScenario || m.Scenario == nil || len(m.Diagnostics) != 0 {
		t.Errorf("got %+v", m)
	}
	if code, _, stderr := migrateCLI(t, filepath.Join(dir, "v1.yaml"), "--format", "toml"); code != exitUsage || stderr != "trafficinator: unknown --format \"toml\" (want yaml or json)\n" {
		t.Errorf("--format toml: exit %d %q", code, stderr)
	}
}
