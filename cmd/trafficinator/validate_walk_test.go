package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateSkipsWhatIsNotOurs: a scenario repository holds compose
// files, CI workflows and Kubernetes manifests beside its scenarios; the
// walk skips them and counts them, and a file named explicitly is checked.
func TestValidateSkipsWhatIsNotOurs(t *testing.T) {
	dir := tree(t, map[string]string{
		"scenarios/smoke.yaml":          validScenario,
		"scenarios/broken.yml":          validScenario + "traffic: [\n",
		"compose.yaml":                  "services:\n  matomo:\n    image: matomo:5\n",
		".github/workflows/ci.yml":      "on: [push]\n", // hidden folders are not walked at all
		"ci/gitlab-ci.yml":              "stages: [test]\n",
		"deploy/job.yaml":               "apiVersion: batch/v1\nkind: Job\nmetadata: {name: load}\n",
		"deploy/values.yaml":            "replicas: [\n", // not YAML that parses, and not ours
		"scenarios/legacy/medium.env":   "MATOMO_URL=https://m.example.com/\n",
		"scenarios/wrong-version.yaml":  strings.Replace(validScenario, "trafficinator/v1", "trafficinator/v2", 1),
		"scenarios/lost-version.yaml":   strings.Replace(validScenario, "apiVersion: trafficinator/v1\n", "", 1),
		"scenarios/k8s-like-named.yaml": "apiVersion: v1\nkind: ConfigMap\n",
	})
	code, stdout, stderr := runCLI(t, "validate", dir)
	if code != exitInvalid {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	if want := "4 file(s) checked: 1 valid, 3 invalid (3 errors, 0 warnings), 5 skipped (not trafficinator files)\n"; stderr != want {
		t.Errorf("summary %q, want %q\n%s", stderr, want, stdout)
	}
	for _, w := range []string{
		filepath.Join(dir, "scenarios/broken.yml") + ":12:1: error:",
		filepath.Join(dir, "scenarios/wrong-version.yaml") + ":1:13: error:",
		filepath.Join(dir, "scenarios/lost-version.yaml") + ":1:1: error: missing required field \"apiVersion\"",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	// Named explicitly, a compose file is checked, and is not a scenario.
	compose := filepath.Join(dir, "compose.yaml")
	code, stdout, stderr = runCLI(t, "validate", compose)
	if code != exitInvalid || !strings.HasPrefix(stdout, compose+":1:1: error: missing required field") || stderr != "1 file(s) checked: 0 valid, 1 invalid (5 errors, 0 warnings)\n" {
		t.Errorf("explicit compose file: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestValidateGeoNobodyCanSend: geo: true that no target can honour is an
// error at the geo: key, and --strict makes the warning of a geo that one
// target of two cannot honour fail.
func TestValidateGeoNobodyCanSend(t *testing.T) {
	dir := tree(t, map[string]string{
		"none.yaml": scenarioHead + "targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\ntraffic:\n  features:\n    geo: true\n",
		"some.yaml": scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: 1\n  - name: b\n    kind: sink\n    site_id: 2\n    token_auth: ${TFI_TEST_TOKEN:-tok-1234}\ntraffic:\n  features:\n    geo: true\n",
	})
	none, some := filepath.Join(dir, "none.yaml"), filepath.Join(dir, "some.yaml")
	code, stdout, _ := runCLI(t, "validate", none)
	if want := none + ":14:5: error: geo is on, but no enabled target can send a visitor's address: none has a token_auth (for cip) or an ip_header (at /traffic/features/geo)\n"; code != exitInvalid || !strings.HasPrefix(stdout, want) {
		t.Errorf("none: exit %d\n%s\nwant prefix\n%s", code, stdout, want)
	}
	code, stdout, stderr := runCLI(t, "validate", some)
	if code != exitOK || !strings.HasPrefix(stdout, some+":9:5: warning: target \"a\" has no token_auth: geo (cip) is turned off for it") {
		t.Errorf("some: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "validate", "--strict", some); code != exitInvalid || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 1 warnings)\n" {
		t.Errorf("some --strict: exit %d\n%s", code, stderr)
	}
}

// TestVerifyNeedsTheToken: verify reads Matomo with the scenario's token,
// so it refuses, like apply, when the token is unset.
func TestVerifyNeedsTheToken(t *testing.T) {
	unsetEnv(t, "MATOMO_TOKEN")
	dir := tree(t, map[string]string{"s.yaml": smokeYAML("https://m.example.com/matomo.php", "errors > 0")})
	s := filepath.Join(dir, "s.yaml")
	code, _, stderr := runCLI(t, "verify", "--scenario", s, "--save-baseline", filepath.Join(dir, "b.json"))
	if code != exitUsage || !strings.HasSuffix(stderr, "trafficinator: "+s+": verify needs the variable MATOMO_TOKEN, which is not set; nothing was sent\n") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
