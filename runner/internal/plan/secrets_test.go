package plan

import (
	"slices"
	"testing"
)

// TestSecretsListsEveryHiddenValue: what the live page's log lines are
// redacted against: the values read from the environment, the tokens, the
// header values and the passwords (and user:password) of the URLs, even a
// literal one.
func TestSecretsListsEveryHiddenValue(t *testing.T) {
	p := compileEnv(t, `apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: s}
run: {rate: "${RATE}", duration: 1m}
targets:
  - name: a
    url: https://bob:pa55word@matomo.example.com/matomo.php
    site_id: 1
    token_auth: ${TOKEN}
    verify_token: literal-verify-token
    headers: {X-Key: "${KEY}"}
`, map[string]string{"RATE": "5/s", "TOKEN": "tok-from-env-1234", "KEY": "key-from-env-5678"})
	got := p.Secrets()
	for _, want := range []string{"tok-from-env-1234", "key-from-env-5678", "literal-verify-token", "pa55word", "bob:pa55word"} {
		if !slices.Contains(got, want) {
			t.Errorf("Secrets() = %q lacks %q", got, want)
		}
	}
}
