package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// smokeYAML is the README's smoke.yaml with its target at url (line 9:
// token_auth, 12: when).
func smokeYAML(url, when string) string {
	return "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: { name: smoke }\n" +
		"run: { rate: 10/s, duration: 1m, concurrency: 100 }\n" +
		"targets:\n  - name: eu\n    url: " + url + "\n    site_id: 1\n" +
		"    token_auth: ${MATOMO_TOKEN}      # read from the environment, never printed\n" +
		"policies:\n  - name: error-budget\n    when: " + when + "\n    action: fail\n"
}

// unsetEnv unsets name for the test, restoring it afterwards.
func unsetEnv(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
}

// countingServer counts every request that reaches it.
func countingServer(t *testing.T) (string, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	return srv.URL + "/matomo.php", &n
}

const tokenNote = ":9:17: note: variable MATOMO_TOKEN is not set (needed by apply) (at /targets/0/token_auth)\n" +
	"      token_auth: ${MATOMO_TOKEN}      # read from the environment, never printed\n" +
	"                  ^\n" +
	"  hint: apply and verify need it: export MATOMO_TOKEN or pass --env-file\n"

// geoOn turns geo on, so that each visit has its own cip and Matomo
// merges none: the smoke file then has no warning.
const geoOn = "traffic:\n  features: { geo: true }\n"

// TestValidateWithoutSecrets: the README's smoke.yaml validates without
// MATOMO_TOKEN (a note, exit 0), in every format, and its typo is still
// reported while the token is unset. --strict fails on a warning, never
// on a note.
func TestValidateWithoutSecrets(t *testing.T) {
	unsetEnv(t, "MATOMO_TOKEN")
	dir := tree(t, map[string]string{
		"readme.yaml": smokeYAML("https://matomo-eu.example.com/matomo.php", "error_rate > 0.05 && requests >= 200"),
		"smoke.yaml":  smokeYAML("https://matomo-eu.example.com/matomo.php", "error_rate > 0.05 && requests >= 200") + geoOn,
		"typo.yaml":   smokeYAML("https://matomo-eu.example.com/matomo.php", "eror_rate > 0.05 && requests >= 200") + geoOn,
	})
	readme, smoke, typo := filepath.Join(dir, "readme.yaml"), filepath.Join(dir, "smoke.yaml"), filepath.Join(dir, "typo.yaml")

	code, stdout, stderr := runCLI(t, "validate", smoke)
	if code != exitOK || stdout != smoke+tokenNote || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings, 1 notes)\n" {
		t.Errorf("smoke: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "validate", "--format", "github", smoke)
	if want := "::notice file=" + smoke + ",line=9,col=17::variable MATOMO_TOKEN is not set (needed by apply)%0Ahint: apply and verify need it: export MATOMO_TOKEN or pass --env-file\n"; code != exitOK || stdout != want {
		t.Errorf("github: exit %d\n%s\nwant\n%s", code, stdout, want)
	}
	code, stdout, _ = runCLI(t, "validate", "--format", "json", smoke)
	if code != exitOK || !strings.Contains(stdout, `"line": 9,
    "column": 17,
    "severity": "note",
    "path": "/targets/0/token_auth",
    "message": "variable MATOMO_TOKEN is not set (needed by apply)"`) {
		t.Errorf("json: exit %d\n%s", code, stdout)
	}
	if code, stdout, stderr := runCLI(t, "validate", "--strict", smoke); code != exitOK {
		t.Errorf("--strict with a note: exit %d\n%s%s", code, stdout, stderr)
	}

	// The README's own file: valid, with a warning (no geo, so no cip:
	// Matomo merges visits), which --strict makes fail.
	code, stdout, stderr = runCLI(t, "validate", readme)
	if code != exitOK || !strings.HasPrefix(stdout, readme+tokenNote+readme+":6:5: warning: target \"eu\": Matomo will merge or split") ||
		stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 1 warnings, 1 notes)\n" {
		t.Errorf("readme: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "validate", "--strict", readme); code != exitInvalid || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 1 warnings, 1 notes)\n" {
		t.Errorf("--strict with a warning: exit %d\n%s", code, stderr)
	}

	code, stdout, stderr = runCLI(t, "validate", typo)
	if code != exitInvalid || !strings.HasPrefix(stdout, typo+tokenNote+typo+":12:11: error: invalid expression: unknown name eror_rate; did you mean error_rate? (at /policies/0/when)\n"+
		"      when: eror_rate > 0.05 && requests >= 200\n            ^\n  hint: variables: requests,") ||
		stderr != "1 file(s) checked: 0 valid, 1 invalid (1 errors, 0 warnings, 1 notes)\n" {
		t.Errorf("typo: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// plan reviews the file without its secrets: the note on stderr, the
	// plan on stdout, the placeholder nowhere.
	code, stdout, stderr = runCLI(t, "plan", "--format", "json", smoke)
	if code != exitOK || stderr != smoke+tokenNote || !strings.Contains(stdout, `"name": "smoke"`) || strings.Contains(stdout, "unset-") {
		t.Errorf("plan: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestUnsetOutsideASecretIsAnError: a variable a file needs to be checked
// (a rate) stays an error of validate and plan.
func TestUnsetOutsideASecretIsAnError(t *testing.T) {
	unsetEnv(t, "MATOMO_TOKEN", "RATE")
	file := filepath.Join(tree(t, map[string]string{"s.yaml": strings.Replace(
		smokeYAML("https://m.example.com/matomo.php", "errors > 0"), "rate: 10/s", "rate: \"${RATE}\"", 1)}), "s.yaml")
	code, stdout, _ := runCLI(t, "validate", file)
	if code != exitInvalid || !strings.HasPrefix(stdout, file+":4:15: error: variable RATE is not set\n") {
		t.Errorf("validate: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "plan", file); code != exitUsage || !strings.Contains(stderr, file+":4:15: error: variable RATE is not set\n") {
		t.Errorf("plan: exit %d\n%s", code, stderr)
	}
}

// TestApplyNamesEveryUnsetVariable: apply lists every unset variable at
// once, at its position, and exits 2 before sending anything.
func TestApplyNamesEveryUnsetVariable(t *testing.T) {
	unsetEnv(t, "MATOMO_TOKEN", "PROXY_USER", "PROXY_PASS")
	url, hits := countingServer(t)
	withCreds := strings.Replace(url, "http://", "http://${PROXY_USER}:${PROXY_PASS}@", 1)
	dir := tree(t, map[string]string{
		"smoke.yaml": smokeYAML(url, "errors > 0"),
		"creds.yaml": smokeYAML(withCreds, "errors > 0"),
	})
	smoke, creds := filepath.Join(dir, "smoke.yaml"), filepath.Join(dir, "creds.yaml")

	code, stdout, stderr := runCLI(t, "apply", smoke)
	want := smoke + ":9:17: error: variable MATOMO_TOKEN is not set (at /targets/0/token_auth)\n" +
		"      token_auth: ${MATOMO_TOKEN}      # read from the environment, never printed\n" +
		"                  ^\n" +
		"  hint: export MATOMO_TOKEN or pass --env-file; nothing is sent without it\n" +
		"trafficinator: " + smoke + ": apply needs the variable MATOMO_TOKEN, which is not set; nothing was sent\n"
	if code != exitUsage || stdout != "" || stderr != want {
		t.Errorf("apply: exit %d\nstdout:\n%s\nstderr:\n%s\nwant:\n%s", code, stdout, stderr, want)
	}

	code, _, stderr = runCLI(t, "apply", creds)
	col := len("    url: http://") + 1
	for _, w := range []string{
		creds + ":7:" + strconv.Itoa(col) + ": error: variable PROXY_USER is not set (at /targets/0/url)\n",
		creds + ":7:" + strconv.Itoa(col+len("${PROXY_USER}:")) + ": error: variable PROXY_PASS is not set (at /targets/0/url)\n",
		creds + ":9:17: error: variable MATOMO_TOKEN is not set (at /targets/0/token_auth)\n",
		"apply needs the variables PROXY_USER, PROXY_PASS, MATOMO_TOKEN, which are not set; nothing was sent\n",
	} {
		if code != exitUsage || !strings.Contains(stderr, w) {
			t.Errorf("apply creds: exit %d, stderr lacks %q:\n%s", code, w, stderr)
		}
	}

	// ${VAR:?message} says its message, in validate's note and apply's
	// error.
	msgFile := filepath.Join(tree(t, map[string]string{"m.yaml": strings.Replace(smokeYAML(url, "errors > 0"),
		"${MATOMO_TOKEN}", "${MATOMO_TOKEN:?a token with write access}", 1)}), "m.yaml")
	if code, stdout, _ := runCLI(t, "validate", msgFile); code != exitOK ||
		!strings.HasPrefix(stdout, msgFile+":9:17: note: variable MATOMO_TOKEN is not set: a token with write access (needed by apply) (at /targets/0/token_auth)\n") {
		t.Errorf("validate ${VAR:?message}: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "apply", msgFile); code != exitUsage ||
		!strings.HasPrefix(stderr, msgFile+":9:17: error: variable MATOMO_TOKEN is not set: a token with write access (at /targets/0/token_auth)\n") {
		t.Errorf("apply ${VAR:?message}: exit %d\n%s", code, stderr)
	}

	// With the token set, the same file runs: the refusal was the token's.
	t.Setenv("MATOMO_TOKEN", testToken)
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d requests reached the target before the token was set", n)
	}
	code, _, stderr = runCLI(t, "apply", "--duration", "1s", smoke)
	if code != exitOK || hits.Load() == 0 {
		t.Errorf("apply with the token: exit %d, %d requests\n%s", code, hits.Load(), stderr)
	}
	checkNoToken(t, "apply stderr", stderr)
}
