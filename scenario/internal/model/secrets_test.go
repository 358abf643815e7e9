package model

import (
	"strconv"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// secretPlaces puts ${SECRET} where it causes an error whose message would
// quote the value: each one must still give its error, without the secret.
var secretPlaces = []struct{ name, src string }{
	{"timezone", withRun("run:\n  duration: 1m\n  timezone: ${SECRET}\n")},
	{"rate", withRun("run:\n  rate: ${SECRET}\n  duration: 1m\n")},
	{"duration", withRun("run:\n  duration: ${SECRET}\n")},
	{"url", withTargets("targets:\n  - name: a\n    url: ${SECRET}\n    site_id: 1\n")},
	{"url with a bad escape", withTargets("targets:\n  - name: a\n    url: \"https://x.example/${SECRET}%zz\"\n    site_id: 1\n")},
	{"site_id", withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: ${SECRET}\n")},
	{"weight", withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    weight: ${SECRET}\n")},
	{"routing", withTail("routing: ${SECRET}\n")},
	{"apiVersion", strings.Replace(validBase, "trafficinator/v1", "${SECRET}", 1)},
	{"target name used by a policy", withTargets("targets:\n  - name: ${SECRET}\n    kind: sink\n    site_id: 1\n  - name: ${SECRET}\n    kind: sink\n    site_id: 2\npolicies:\n  - name: p\n    scope: target\n    targets: [\"${SECRET}x\"]\n    when: errors > 0\n    action: warn\n")},
	{"policy expression", withTail("policies:\n  - name: p\n    when: ${SECRET} > 1\n    action: warn\n")},
	{"backfill date", withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: ${SECRET}\n    to: 2026-10-01\n", tokenSink)},
	{"token_auth of wrong type", withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: [${SECRET}]\n")},
	{"header", withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    headers: {Authorization: [\"${SECRET}\"]}\n")},
	{"currency", withTail("traffic:\n  features:\n    ecommerce: {currency: \"${SECRET}\"}\n")},
	{"funnel step type", withTail("traffic:\n  funnels:\n    - name: f\n      probability: 1\n      steps: [{type: \"${SECRET}\"}]\n")},
}

func TestSecretsNeverInDiagnostics(t *testing.T) {
	secrets := []string{
		"0123456789abcdef0123456789abcdef", // a Matomo token
		`p@ss"w\rd é`,                      // quoted by %q, it reads p@ss\"w\\rd é
		" padded-secret ",                  // trimmed by the parsers
		"Europe/Stockholm",                 // a secret that is also valid
	}
	for _, secret := range secrets {
		for _, p := range secretPlaces {
			t.Run(p.name+"/"+strconv.Quote(secret), func(t *testing.T) {
				r := load(t, p.src, map[string]string{"SECRET": secret})
				for _, d := range r.Diags {
					for _, field := range []string{d.File, d.Path, d.Message, d.Hint} {
						for _, form := range forms(secret) {
							if strings.Contains(field, form) {
								t.Errorf("secret %q shown as %q in:%s", secret, form, dump(diag.List{d}))
							}
						}
					}
				}
			})
		}
	}
}

// forms are the ways a secret could be shown: as is, trimmed, quoted.
func forms(secret string) []string {
	out := []string{secret}
	for _, s := range []string{secret, strings.TrimSpace(secret)} {
		q := strconv.Quote(s)
		out = append(out, s, q[1:len(q)-1])
	}
	return out
}

// The checks still run: the secret is hidden, the error is not.
func TestSecretRedactedButReported(t *testing.T) {
	r := load(t, withRun("run:\n  duration: 1m\n  timezone: ${SECRET}\n"), map[string]string{"SECRET": "Mars/Olympus_Mons"})
	if len(r.Diags) != 1 || r.Diags[0].Message != `unknown timezone "[redacted]"` || r.Diags[0].Line != 7 || r.Diags[0].Column != 13 {
		t.Errorf("got:%s", dump(r.Diags))
	}
}

// A token written in the file (not read from the environment) is a secret
// too.
func TestLiteralTokenIsRedacted(t *testing.T) {
	tok := "fedcba9876543210fedcba9876543210"
	src := withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    token_auth: " + tok + "\nrouting: " + tok + "\n")
	r := load(t, src, nil)
	if len(r.Diags) != 1 || strings.Contains(r.Diags[0].Message, tok) || !strings.Contains(r.Diags[0].Message, diag.Redacted) {
		t.Errorf("got:%s", dump(r.Diags))
	}
}

// Values too short to be secrets are left alone rather than cut out of
// every word ("fi[redacted]ed" for a token of "x").
func TestShortValuesAreNotRedacted(t *testing.T) {
	src := withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-10-01\n    to: 2026-10-31\n    last_days: 10\n",
		"targets:\n  - name: a\n    kind: sink\n    site_id: ${SITE}\n    token_auth: x\n")
	r := load(t, src, map[string]string{"SITE": "1"})
	if len(r.Diags) != 1 || r.Diags[0].Hint != "use from/to for fixed dates, or last_days for a window relative to today" {
		t.Errorf("got:%s", dump(r.Diags))
	}
}

// Renderers quote Source.Bytes: a token written in the file is masked
// there too, with a mask of its length so that the caret under the line
// still points at the column of the diagnostic, and a file without secrets
// is left as it is.
func TestSourceBytesAreRedacted(t *testing.T) {
	tok := "fedcba9876543210fedcba9876543210"
	src := withTargets("targets:\n  - {name: a, kind: sink, site_id: 1, token_auth: " + tok + ", wieght: 1}\n")
	r := load(t, src, nil)
	if len(r.Diags) != 1 || r.Diags[0].Line != 9 {
		t.Fatalf("want the unknown field on line 9, got:%s", dump(r.Diags))
	}
	if strings.Contains(string(r.Source.Bytes), tok) || !strings.Contains(string(r.Source.Bytes), "token_auth: [redacted]**********************, wieght") {
		t.Errorf("source not redacted:\n%s", r.Source.Bytes)
	}
	clean := []byte(validBase)
	if r := Load("t.yaml", clean, testOptions(nil)); &r.Source.Bytes[0] != &clean[0] {
		t.Errorf("a file without secrets must not be copied")
	}
}

// A verify_token written in the file is a secret like token_auth.
func TestLiteralVerifyTokenIsRedacted(t *testing.T) {
	tok := "abcdef9876543210fedcba9876543210"
	src := withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n    verify_token: " + tok + "\nrouting: " + tok + "\n")
	r := load(t, src, nil)
	if len(r.Diags) != 1 || strings.Contains(r.Diags[0].Message, tok) || !strings.Contains(r.Diags[0].Message, diag.Redacted) {
		t.Errorf("got:%s", dump(r.Diags))
	}
}
