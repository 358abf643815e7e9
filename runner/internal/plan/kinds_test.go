package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// kindScenario is a valid scenario but for its one target's lines.
func kindScenario(target string) string {
	return "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: {name: kinds}\nrun: {rate: 1/s, duration: 1m}\ntargets:\n" + target
}

// diags loads yaml as validate, plan and apply do (the target kinds check
// their own settings) and returns its diagnostics as line:column text.
func diags(t *testing.T, yaml string) []string {
	t.Helper()
	res := scenario.Load("k.yaml", []byte(yaml), scenario.Options{
		Lookup: func(string) (string, bool) { return "", false }, CheckTarget: plan.CheckTarget,
	})
	var out []string
	for _, d := range res.Diags {
		out = append(out, fmt.Sprintf("%d:%d %s %s: %s | %s", d.Line, d.Column, d.Severity, d.Path, d.Message, d.Hint))
	}
	return out
}

// TestKindChecksWithPositions: a kind's own rules (file) and an unknown
// kind are reported at the line and column of the field.
func TestKindChecksWithPositions(t *testing.T) {
	for _, c := range []struct {
		name, target string
		want         []string
	}{
		{"file ok", "  - {name: f, kind: file, url: file:out/hits.jsonl, site_id: 1}\n", nil},
		{"file without url", "  - name: f\n    kind: file\n    site_id: 1\n", []string{
			"6:5 error /targets/0: missing required field \"url\" | set url: file:PATH, the file that receives one JSON line per hit",
		}},
		{"file with an http url", "  - name: f\n    kind: file\n    url: https://m.example/matomo.php\n    site_id: 1\n", []string{
			"8:10 error /targets/0/url: a kind: file target's url must be file:PATH | e.g. url: file:hits.jsonl (a relative path starts at the working directory)",
		}},
		{"file with a relative site_url", "  - {name: f, kind: file, url: file:h.jsonl, site_id: 1, site_url: shop.example}\n", []string{
			"6:68 error /targets/0/site_url: URL must start with http:// or https:// | write the full URL, e.g. https://matomo.example.com/matomo.php",
		}},
		{"unknown kind", "  - name: f\n    kind: ftp\n    url: https://m.example/matomo.php\n    site_id: 1\n", []string{
			`7:11 error /targets/0/kind: must be one of: file, matomo, sink (got "ftp") | `,
		}},
	} {
		got := diags(t, kindScenario(c.target))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
