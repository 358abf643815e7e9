package targets_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestReportingURLOfSettings(t *testing.T) {
	for _, tc := range []struct {
		s    kind.Settings
		want string
		ok   bool
	}{
		{kind.Settings{Kind: "matomo", URL: "https://m.test/a/matomo.php"}, "https://m.test/a/index.php", true},
		{kind.Settings{Kind: "matomo", URL: "https://m.test/matomo.php", APIURL: "https://api.test/index.php"}, "https://api.test/index.php", true},
		{kind.Settings{Kind: "sink"}, "", false},
		{kind.Settings{Kind: "file", URL: "file:hits.jsonl"}, "", false},
		{kind.Settings{Kind: "nope", URL: "https://m.test/matomo.php"}, "", false},
	} {
		got, ok := targets.ReportingURL(&tc.s)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ReportingURL(%s %s) = %q, %v; want %q, %v", tc.s.Kind, tc.s.URL, got, ok, tc.want, tc.ok)
		}
	}
}

// TestOpenedSinkHasReportingURL: the sink target embeds the matomo one,
// so it names index.php beside its loopback tracking URL.
func TestOpenedSinkHasReportingURL(t *testing.T) {
	k, _ := targets.Lookup("sink")
	target, err := k.Open(&kind.Settings{Name: "s", Kind: "sink", SiteID: 1}, kind.Env{Timezone: "UTC", MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	api, ok := target.(kind.ReportingAPI)
	if !ok {
		t.Fatalf("%T does not implement kind.ReportingAPI", target)
	}
	if u := api.ReportingURL(); !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/index.php") {
		t.Fatalf("ReportingURL = %q", u)
	}
}

func TestReportingClientFacade(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"result":"error","message":"You can't access this resource as it requires 'view' access for the website id = 2."}`))
	}))
	defer srv.Close()
	c, err := targets.NewReportingClient(targets.ReportingConfig{URL: srv.URL + "/index.php", SiteID: 2, Token: "tok-123"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Site(context.Background())
	var e *targets.ReportingError
	if !errors.As(err, &e) || e.Kind != targets.ReportingKindAuth || e.Method != "SitesManager.getSiteFromId" {
		t.Fatalf("error %v", err)
	}
}
