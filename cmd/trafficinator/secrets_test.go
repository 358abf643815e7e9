package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const testToken = "9f86d081884c7d659a2feaa0c55ad015"

// tokenPlaces put ${MATOMO_TOKEN} where it is used as intended and where
// it is wrong-typed or quoted by an error message. Each file must be
// reported invalid (the wrong uses) or valid (token_auth), and the token
// must appear in no output.
var tokenPlaces = map[string]struct {
	yaml  string
	valid bool
}{
	"token_auth.yaml": {scenarioHead + "targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n    token_auth: ${MATOMO_TOKEN}\n", true},
	"site_id.yaml":    {scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: ${MATOMO_TOKEN}\n", false},
	"url.yaml":        {scenarioHead + "targets:\n  - name: a\n    url: ${MATOMO_TOKEN}\n    site_id: 1\n", false},
	"url-path.yaml":   {scenarioHead + "targets:\n  - name: a\n    url: \"https://m.example.com/${MATOMO_TOKEN}%zz\"\n    site_id: 1\n", false},
	"timezone.yaml":   {strings.Replace(validScenario, "  duration: 1m\n", "  duration: 1m\n  timezone: ${MATOMO_TOKEN}\n", 1), false},
	"rate.yaml":       {strings.Replace(validScenario, "rate: 1/s", "rate: ${MATOMO_TOKEN}", 1), false},
	"name.yaml":       {strings.Replace(validScenario, "name: a", "name: ${MATOMO_TOKEN}", 1) + "policies:\n  - name: p\n    scope: target\n    targets: [x${MATOMO_TOKEN}]\n    when: errors > 0\n    action: warn\n", false},
	"when.yaml":       {validScenario + "policies:\n  - name: p\n    when: ${MATOMO_TOKEN} > 0\n    action: warn\n", false},
	"wrong-type.yaml": {scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: [${MATOMO_TOKEN}]\n", false},
	"routing.yaml":    {validScenario + "routing: ${MATOMO_TOKEN}\n", false},
	// The token written into the file as well: the source line quoted by
	// the text format must not show it.
	"literal.yaml": {scenarioHead + "targets:\n  - {name: a, url: https://m.example.com/matomo.php, site_id: 1, token_auth: " + testToken + ", wieght: 1}\n", false},
}

func checkNoToken(t *testing.T, where, out string) {
	t.Helper()
	for _, form := range []string{testToken, testToken[:16], strconv.Quote(testToken)} {
		if strings.Contains(out, form) {
			t.Errorf("%s shows the token (%q):\n%s", where, form, out)
		}
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	files := map[string]string{".env": "MATOMO_TOKEN=" + testToken + "\n"}
	for name, p := range tokenPlaces {
		files["s/"+name] = p.yaml
	}
	dir := tree(t, files)
	envFile := filepath.Join(dir, ".env")

	for _, source := range []string{"process environment", "env file"} {
		t.Run(source, func(t *testing.T) {
			var extra []string
			if source == "process environment" {
				t.Setenv("MATOMO_TOKEN", testToken)
			} else {
				extra = []string{"--env-file", envFile}
			}
			for _, format := range []string{"text", "json", "github"} {
				// All files at once, through the directory walk.
				code, stdout, stderr := runCLI(t, append([]string{"validate", "--format", format, filepath.Join(dir, "s")}, extra...)...)
				if code != exitInvalid {
					t.Errorf("%s: exit %d", format, code)
				}
				checkNoToken(t, format+" stdout", stdout)
				checkNoToken(t, format+" stderr", stderr)

				// Each file on its own: the valid ones pass, the others fail
				// with an error on stdout.
				for name, p := range tokenPlaces {
					f := filepath.Join(dir, "s", name)
					code, stdout, stderr := runCLI(t, append([]string{"validate", "--format", format, f}, extra...)...)
					want := exitInvalid
					if p.valid {
						want = exitOK
					}
					if code != want {
						t.Errorf("%s %s: exit %d, want %d\n%s%s", format, name, code, want, stdout, stderr)
					}
					if !p.valid && !strings.Contains(stdout, "error") {
						t.Errorf("%s %s: no error reported:\n%s", format, name, stdout)
					}
					checkNoToken(t, format+" "+name+" stdout", stdout)
					checkNoToken(t, format+" "+name+" stderr", stderr)
				}
			}
		})
	}
}

// A broken line of an --env-file may hold the token: the error names the
// line, not its text.
func TestTokenInBrokenEnvFile(t *testing.T) {
	dir := tree(t, map[string]string{
		".env":   "MATOMO_TOKEN: " + testToken + "\n" + testToken + "\nexport MATOMO_TOKEN '" + testToken + "'\n",
		"s.yaml": validScenario,
	})
	code, stdout, stderr := runCLI(t, "validate", "--env-file", filepath.Join(dir, ".env"), filepath.Join(dir, "s.yaml"))
	if code != exitUsage || strings.Count(stderr, "error: not an assignment") != 3 {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	checkNoToken(t, "stdout", stdout)
	checkNoToken(t, "stderr", stderr)
}
