package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The three formats of one invalid file, exactly.
func TestValidateFormats(t *testing.T) {
	dir := tree(t, map[string]string{"bad.yaml": invalidScenario})
	bad := filepath.Join(dir, "bad.yaml")

	code, stdout, stderr := runCLI(t, "validate", bad)
	want := bad + ":11:14: error: must be at least 1 (got 0) (at /targets/0/site_id)\n" +
		"      site_id: 0\n" +
		"               ^\n"
	if code != exitInvalid || stdout != want {
		t.Errorf("text: exit %d\n%s\nwant\n%s", code, stdout, want)
	}
	if stderr != "1 file(s) checked: 0 valid, 1 invalid (1 errors, 0 warnings)\n" {
		t.Errorf("text summary %q", stderr)
	}

	code, stdout, stderr = runCLI(t, "validate", "--format", "github", bad)
	want = "::error file=" + bad + ",line=11,col=14::must be at least 1 (got 0)\n"
	if code != exitInvalid || stdout != want || stderr != "" {
		t.Errorf("github: exit %d\n%q\nwant\n%q\nstderr %q", code, stdout, want, stderr)
	}

	code, stdout, stderr = runCLI(t, "validate", "--format", "json", bad)
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	wantJSON := map[string]any{"file": bad, "line": 11.0, "column": 14.0, "severity": "error",
		"path": "/targets/0/site_id", "message": "must be at least 1 (got 0)"}
	if code != exitInvalid || len(got) != 1 || len(got[0]) != len(wantJSON) || stderr != "" {
		t.Fatalf("json: exit %d, %v, stderr %q", code, got, stderr)
	}
	for k, v := range wantJSON {
		if got[0][k] != v {
			t.Errorf("json %s = %v, want %v", k, got[0][k], v)
		}
	}
}

// A valid run prints an empty JSON array, never null, and nothing on the
// github channel.
func TestValidateCleanOutput(t *testing.T) {
	dir := tree(t, map[string]string{"good.yaml": validScenario})
	if code, stdout, _ := runCLI(t, "validate", "--format", "json", dir); code != exitOK || stdout != "[]\n" {
		t.Errorf("json: exit %d, %q", code, stdout)
	}
	if code, stdout, stderr := runCLI(t, "validate", "--format", "github", dir); code != exitOK || stdout != "" || stderr != "" {
		t.Errorf("github: exit %d, %q %q", code, stdout, stderr)
	}
}

// --env-file supplies ${VAR} values; without it the same file is invalid
// (site_id), or valid with a note (a token is for apply).
func TestValidateEnvFile(t *testing.T) {
	scenario := scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: ${SITE_ID_FROM_FILE}\n    token_auth: ${TOKEN_FROM_FILE}\n"
	dir := tree(t, map[string]string{
		"s.yaml":    scenario,
		"site.env":  "# site\nexport SITE_ID_FROM_FILE=4\n",
		"token.env": "TOKEN_FROM_FILE=\"abcdef0123456789\"\n",
		"bad.env":   "SITE_ID_FROM_FILE 4\n",
	})
	s := filepath.Join(dir, "s.yaml")
	site, token := filepath.Join(dir, "site.env"), filepath.Join(dir, "token.env")

	code, stdout, stderr := runCLI(t, "validate", "--env-file", site, "--env-file", token, s)
	if code != exitOK || stdout != "" {
		t.Errorf("with both env files: exit %d\n%s%s", code, stdout, stderr)
	}

	code, stdout, _ = runCLI(t, "validate", "--env-file", site, s)
	if code != exitOK || !strings.HasPrefix(stdout, s+":12:17: note: variable TOKEN_FROM_FILE is not set (needed by apply) (at /targets/0/token_auth)\n") {
		t.Errorf("without the token file: exit %d\n%s", code, stdout)
	}

	code, stdout, _ = runCLI(t, "validate", s)
	if code != exitInvalid || !strings.Contains(stdout, s+":11:14: error: variable SITE_ID_FROM_FILE is not set") {
		t.Errorf("without env files: exit %d\n%s", code, stdout)
	}

	bad := filepath.Join(dir, "bad.env")
	code, stdout, stderr = runCLI(t, "validate", "--env-file", bad, s)
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, bad+":1:1: error: not an assignment") {
		t.Errorf("broken env file: exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
}

// The process environment wins over an --env-file, as in docker compose.
func TestValidateEnvFilePrecedence(t *testing.T) {
	scenario := scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: ${TFI_TEST_SITE}\n"
	dir := tree(t, map[string]string{"s.yaml": scenario, ".env": "TFI_TEST_SITE=zero\n"})
	t.Setenv("TFI_TEST_SITE", "5")
	code, stdout, stderr := runCLI(t, "validate", "--env-file", filepath.Join(dir, ".env"), filepath.Join(dir, "s.yaml"))
	if code != exitOK {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}

// A directory walk skips YAML files of another kind, and counts them; a
// file named on the command line is checked whatever its kind.
func TestValidateDirectoryKinds(t *testing.T) {
	other := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
	dir := tree(t, map[string]string{
		"scenarios/good.yaml":  validScenario,
		"scenarios/k8s.yaml":   other,
		"scenarios/ci.yml":     "kind: Workflow\non: push\n",
		"scenarios/notes.txt":  "not yaml: [",
		"scenarios/.git/x.yml": "broken: [",
	})
	code, stdout, stderr := runCLI(t, "validate", dir)
	if code != exitOK || stdout != "" || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings), 2 skipped (not trafficinator files)\n" {
		t.Errorf("directory: exit %d\n%s%s", code, stdout, stderr)
	}
	k8s := filepath.Join(dir, "scenarios", "k8s.yaml")
	code, stdout, stderr = runCLI(t, "validate", k8s)
	if code != exitInvalid || !strings.Contains(stdout, k8s+":2:7: error: must be \"Scenario\"") || !strings.Contains(stderr, "1 file(s) checked: 0 valid, 1 invalid") {
		t.Errorf("explicit file: exit %d\n%s%s", code, stdout, stderr)
	}
}
