package legacy_test

import (
	"os"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

func TestMultiTargetFile(t *testing.T) {
	res := migrateFile(t, "multi-target.env", testOptions())
	s := res.Scenario
	if s == nil {
		t.Fatal(render(res))
	}
	if s.Routing != "weighted" || len(s.Targets) != 3 {
		t.Fatalf("routing %q, %d targets", s.Routing, len(s.Targets))
	}
	want := []struct {
		name, url, token string
		site             int
		weight           float64 // 0: not written
		enabled          bool
	}{
		{"primary", "https://matomo-a.example.com/matomo.php", "${MATOMO_TOKEN_AUTH_PRIMARY}", 1, 3, true},
		{"secondary", "https://matomo-b.example.com/matomo.php", "", 7, 1, true},
		{"old", "https://matomo-c.example.com/matomo.php", "", 2, 0, false},
	}
	for i, w := range want {
		got := s.Targets[i]
		weight := 0.0
		if got.Weight != nil {
			weight = *got.Weight
		}
		if got.Name != w.name || got.URL != w.url || got.TokenAuth != w.token || got.SiteID != w.site || weight != w.weight || got.IsEnabled() != w.enabled {
			t.Errorf("target %d = %+v (weight %v), want %+v", i, got, weight, w)
		}
	}
	if res.Env["MATOMO_TOKEN_AUTH_PRIMARY"] != strings.Repeat("a", 32) {
		t.Errorf("Env = %v", res.Env)
	}
	if !findDiag(res.Diags, "testdata/multi-target.env", diagAt{2, 1, diag.Info, "MATOMO_URL is not used: MULTI_TARGET_CONFIG defines the targets"}) {
		t.Errorf("no note about MATOMO_URL:\n%s", render(res))
	}
	// The note about the primary target's token points at the token inside
	// the JSON on line 5.
	line5 := strings.Split(string(mustRead(t, "testdata/multi-target.env")), "\n")[4]
	col := strings.Index(line5, `"aaaa`) + 1
	if !findDiag(res.Diags, "testdata/multi-target.env", diagAt{5, col, diag.Info, `the token of target "primary" is not written into the scenario`}) {
		t.Errorf("no note at 5:%d:\n%s", col, render(res))
	}
}

func TestMultiTargetErrorsInsideTheJSON(t *testing.T) {
	const pre = "MULTI_TARGET_CONFIG="
	for _, c := range []struct {
		json string
		sub  string // the text the error points at
		has  string
	}{
		{`{"targets":[{"name":"a","url":"ftp://x/","site_id":1}]}`, `"ftp://x/"`, "scheme must be http or https"},
		{`{"targets":[{"name":"a","url":"https://x/","site_id":0}]}`, `0}`, "site_id 0 is not a Matomo site id"},
		{`{"targets":[{"name":"a","url":"https://x/","site_id":1,"weight":0.5}],"distribution_strategy":"weighted"}`, `0.5`, "weight 0.5 is below 1"},
		{`{"targets":[{"name":"a","url":"https://x/","site_id":1}],"distribution_strategy":"fastest"}`, `"fastest"`, `unknown distribution_strategy "fastest"`},
		{`{"targets":[{"name":"a","url":"https://x/","site_id":1,"enabled":false}]}`, `[{`, "every target of MULTI_TARGET_CONFIG is disabled"},
		{`{"targets":[{"name":"a","url":"https://x/","site_id":1},{"name":"a","url":"https://y/","site_id":2}]}`, `"a","url":"https://y/"`, `duplicate target name "a"`},
		{`{"targets":[{"name":"a","url":"https://x/","site_id":1}`, ``, "invalid JSON: unexpected end of input"},
		{`{"targets":[]}`, `[]`, `needs a non-empty "targets" list`},
	} {
		env := pre + c.json + "\n"
		res := migrateString(t, env)
		col := len(pre) + strings.Index(c.json, c.sub) + 1
		if c.sub == "" {
			col = len(pre) + len(c.json) + 1 // the end of the value
		}
		found := false
		for _, d := range res.Diags {
			found = found || d.Line == 1 && d.Severity == diag.Error && strings.Contains(d.Message, c.has) && d.Column == col
		}
		if !found {
			t.Errorf("%s: want an error %q at 1:%d, got\n%s", c.json, c.has, col, render(res))
		}
	}
}

func TestMultiTargetQuirks(t *testing.T) {
	res := migrateString(t, "MATOMO_TOKEN_AUTH=0123456789abcdef0123456789abcdef\n"+
		`MULTI_TARGET_CONFIG={"targets":[{"name":"x","url":"https://x.example/piwik.php","site_id":"3","enabled":"false","wieght":2},`+
		`{"name":"b c","url":"https://b.example","site_id":1,"weight":0,"token_auth":"t-o-k-e-n-1234"}]}`+"\n")
	if res.Diags.HasErrors() {
		t.Fatal(render(res))
	}
	s := res.Scenario
	if s.Routing != "round-robin" {
		t.Errorf("routing %q, want the legacy default round-robin", s.Routing)
	}
	x, b := s.Targets[0], s.Targets[1]
	if x.URL != "https://x.example/piwik.php" || x.SiteID != 3 || !x.IsEnabled() {
		t.Errorf("x = %+v", x)
	}
	if b.URL != "https://b.example/matomo.php" || b.Weight != nil || b.TokenAuth != "${MATOMO_TOKEN_AUTH_B_C}" {
		t.Errorf("b = %+v", b)
	}
	for _, has := range []string{
		`target "x" has "enabled": "false", which the legacy code read as true`,
		`unknown MULTI_TARGET_CONFIG target field "wieght"`,
		`target "x" has no token of its own: the P-008 loader sent it MATOMO_TOKEN_AUTH instead`,
	} {
		if !strings.Contains(render(res), has) {
			t.Errorf("missing %q in\n%s", has, render(res))
		}
	}
	if !strings.Contains(render(res), `did you mean "weight"?`) {
		t.Error("no did-you-mean for wieght")
	}
	if strings.Contains(string(res.YAML), "t-o-k-e-n-1234") || strings.Contains(render(res), "t-o-k-e-n-1234") {
		t.Error("a target token is shown")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
