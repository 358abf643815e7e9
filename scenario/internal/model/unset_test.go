package model

import (
	"slices"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// deferred loads src with Options.DeferSecrets and no variable set.
func deferred(t *testing.T, src string) *Result {
	t.Helper()
	opts := testOptions(nil)
	opts.DeferSecrets = true
	return Load("t.yaml", []byte(src), opts)
}

// secretsTargets references an unset variable in every place a secret
// can be (lines 10 to 14).
var secretsTargets = withTargets("targets:\n  - name: a\n" +
	"    url: https://${U}:${P}@m.example.com/matomo.php\n" + // line 10
	"    site_id: 1\n" +
	"    token_auth: ${TOKEN}\n" + // line 12
	"    verify_token: ${V:?a token with view access}\n" + // line 13
	"    headers: {X-Auth: \"Bearer ${H}\"}\n") // line 14

// TestUnsetSecretsAreNotes: with DeferSecrets, each unset variable where a
// secret can be is a note at its $, listed in Source.Unset, and the file
// is valid (its placeholders count as a token, so geo is no warning).
func TestUnsetSecretsAreNotes(t *testing.T) {
	r := deferred(t, secretsTargets)
	want := []UnsetVar{
		{"U", "", "t.yaml", 10, 18, "/targets/0/url"},
		{"P", "", "t.yaml", 10, 23, "/targets/0/url"},
		{"TOKEN", "", "t.yaml", 12, 17, "/targets/0/token_auth"},
		{"V", "a token with view access", "t.yaml", 13, 19, "/targets/0/verify_token"},
		{"H", "", "t.yaml", 14, 31, "/targets/0/headers/X-Auth"},
	}
	if !r.Valid() || !slices.Equal(r.Source.Unset, want) {
		t.Fatalf("valid %t, unset %+v, want %+v;%s", r.Valid(), r.Source.Unset, want, dump(r.Diags))
	}
	if len(r.Diags) != len(want) {
		t.Fatalf("want only the %d notes:%s", len(want), dump(r.Diags))
	}
	if m := r.Diags[3].Message; m != "variable V is not set: a token with view access (needed by apply)" {
		t.Errorf("the note of ${V:?message}: %q", m)
	}
	for i, u := range want {
		d := r.Diags[i]
		if d.Severity != diag.Note || d.Line != u.Line || d.Column != u.Column || d.Path != u.Path ||
			d.Message != u.NeededByApply() ||
			d.Hint != "apply and verify need it: export "+u.Name+" or pass --env-file" {
			t.Errorf("note %d:%s", i, dump(diag.List{d}))
		}
	}
	tg := r.Scenario.Targets[0]
	if tg.TokenAuth != "unset-TOKEN" || tg.URL != "https://unset-U:unset-P@m.example.com/matomo.php" {
		t.Errorf("placeholders: token %q url %q", tg.TokenAuth, tg.URL)
	}
	if !slices.Contains(r.Source.Secrets, "unset-TOKEN") {
		t.Errorf("the placeholder is not redacted like the secret it stands for: %q", r.Source.Secrets)
	}
}

// TestUnsetOutsideSecretsStaysAnError: a variable where no secret can be
// (a rate, a URL's host) is needed to check the file, so it is an error
// even with DeferSecrets; the note of the token comes with it.
func TestUnsetOutsideSecretsStaysAnError(t *testing.T) {
	src := withRunTargets("run:\n  rate: ${RATE}\n  duration: 1m\n",
		"targets:\n  - name: a\n    url: https://${HOST}/matomo.php\n    site_id: 1\n    token_auth: ${TOKEN}\n")
	r := deferred(t, src)
	got := dump(r.Diags)
	want := "\n\tt.yaml:6:9: error: variable RATE is not set [path ] [hint export RATE, pass --env-file, or give a default: ${RATE:-value}]" +
		"\n\tt.yaml:10:18: error: variable HOST is not set [path ] [hint export HOST, pass --env-file, or give a default: ${HOST:-value}]" +
		"\n\tt.yaml:12:17: note: variable TOKEN is not set (needed by apply) [path /targets/0/token_auth] [hint apply and verify need it: export TOKEN or pass --env-file]"
	if got != want {
		t.Errorf("got:%s\nwant:%s", got, want)
	}
	if r.Valid() {
		t.Error("valid with RATE unset")
	}
}

// TestUnsetSecretsWithoutDefer: without DeferSecrets (apply's library
// default), an unset token is the error it always was.
func TestUnsetSecretsWithoutDefer(t *testing.T) {
	r := load(t, secretsTargets, nil)
	if r.Valid() || r.Diags.Count(diag.Error) != 4 || len(r.Source.Unset) != 0 {
		t.Errorf("want four errors (one a value) and nothing deferred:%s", dump(r.Diags))
	}
}

// TestUnsetSecretDoesNotHideOtherErrors: the README's smoke.yaml with a
// typo and no token reports the typo.
func TestUnsetSecretDoesNotHideOtherErrors(t *testing.T) {
	src := withTargets("targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n    token_auth: ${TOKEN}\n" +
		"policies:\n  - name: budget\n    when: eror_rate > 0.05\n    action: fail\n")
	r := deferred(t, src)
	if r.Diags.Count(diag.Note) != 1 || r.Diags.Count(diag.Error) != 1 {
		t.Fatalf("want a note and the typo:%s", dump(r.Diags))
	}
	if d := r.Diags[1]; d.Line != 15 || d.Column != 11 || d.Path != "/policies/0/when" {
		t.Errorf("typo:%s", dump(r.Diags))
	}
}

func TestSecretPlace(t *testing.T) {
	for _, c := range []struct {
		path []string
		text string
		off  int
		want bool
	}{
		{[]string{"targets", "0", "token_auth"}, "${T}", 0, true},
		{[]string{"targets", "3", "verify_token"}, "x${T}", 1, true},
		{[]string{"targets", "0", "headers", "Authorization"}, "Bearer ${T}", 7, true},
		{[]string{"targets", "0", "headers"}, "${T}", 0, false},
		{[]string{"targets", "0", "url"}, "https://${U}@h/p", 8, true},
		{[]string{"targets", "0", "api_url"}, "https://u:${P}@h/p", 10, true},
		{[]string{"targets", "0", "site_url"}, "https://${H}/a@b", 8, false}, // the @ is in the path
		{[]string{"targets", "0", "url"}, "${URL}", 0, false},
		{[]string{"targets", "0", "url"}, "https://h/${P}", 10, false},
		{[]string{"targets", "0", "site_id"}, "${S}", 0, false},
		{[]string{"run", "rate"}, "${R}", 0, false},
		{[]string{"metadata", "token_auth", "x"}, "${R}", 0, false},
	} {
		if got := secretPlace(c.path, c.text, c.off); got != c.want {
			t.Errorf("secretPlace(%v, %q, %d) = %t", c.path, c.text, c.off, got)
		}
	}
}

// FuzzDeferSecrets: with DeferSecrets, every unset variable listed has its
// note at the same place, inside the file; and the directory walk's test
// of a file never panics and agrees with the apiVersion it reads.
func FuzzDeferSecrets(f *testing.F) {
	for _, s := range append(fuzzSeeds, secretsTargets, "kind: Scenario\n", "apiVersion: apps/v1\nkind: Deployment\n", "apiVersion: \"trafficinator/v1\"\n\tx") {
		f.Add([]byte(s))
	}
	opts := testOptions(map[string]string{"SITE": "3"})
	opts.DeferSecrets = true
	f.Fuzz(func(t *testing.T, data []byte) {
		r := Load("f.yaml", data, opts)
		lines := yamlLines(data)
		for _, u := range r.Source.Unset {
			found := false
			for _, d := range r.Diags {
				found = found || d.Severity == diag.Note && d.Line == u.Line && d.Column == u.Column && d.Message == u.NeededByApply()
			}
			if !found || u.Line < 1 || u.Line > lines {
				t.Fatalf("unset %+v without its note inside the file:%s", u, dump(r.Diags))
			}
		}
		own := ownFile(data)
		if v, ok := convert.YAMLVersion(data); ok && own != strings.HasPrefix(v, "trafficinator/") {
			t.Fatalf("ownFile = %t for apiVersion %q", own, v)
		}
	})
}
