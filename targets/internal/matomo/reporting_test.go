package matomo

import (
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestReportingURL(t *testing.T) {
	for _, tc := range []struct {
		url, api, want string
	}{
		{"https://x.test/matomo.php", "", "https://x.test/index.php"},
		{"https://x.test/analytics/sub/matomo.php?ignored=1", "", "https://x.test/analytics/sub/index.php"},
		{"http://u:p@x.test:8080/piwik.php", "", "http://u:p@x.test:8080/index.php"},
		{"https://x.test/matomo.php", "https://api.x.test/m/index.php", "https://api.x.test/m/index.php"},
	} {
		s := &kind.Settings{Kind: "matomo", URL: kind.URL(tc.url), APIURL: kind.URL(tc.api), SiteID: 1}
		got, ok := Kind{}.ReportingURL(s)
		if !ok || got != tc.want {
			t.Errorf("Kind.ReportingURL(%s, %q) = %q, %v; want %q", tc.url, tc.api, got, ok, tc.want)
		}
		target, err := Kind{}.Open(s, kind.Env{MaxConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		var api kind.ReportingAPI = target.(*Target)
		if got := api.ReportingURL(); got != tc.want {
			t.Errorf("Target.ReportingURL(%s, %q) = %q, want %q", tc.url, tc.api, got, tc.want)
		}
		_ = target.Close()
	}
	for _, bad := range []string{"", "file:out.jsonl", "matomo.php"} {
		if got, ok := (Kind{}).ReportingURL(&kind.Settings{URL: kind.URL(bad)}); ok {
			t.Errorf("Kind.ReportingURL(%q) = %q, true; want false", bad, got)
		}
	}
}
