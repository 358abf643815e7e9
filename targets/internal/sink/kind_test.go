package sink

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// A kind: sink target answers the Reporting API at its ReportingURL, with
// the target's token.
func TestKindTargetServesTheReportingAPI(t *testing.T) {
	s := &kind.Settings{Name: "s", Kind: "sink", SiteID: 3, Token: kind.Secret(testToken)}
	kt, err := Kind{}.Open(s, kind.Env{Timezone: "Europe/Stockholm"})
	if err != nil {
		t.Fatal(err)
	}
	defer kt.Close()
	api := kt.(kind.ReportingAPI).ReportingURL()
	if !strings.HasPrefix(api, "http://127.0.0.1:") || !strings.HasSuffix(api, "/index.php") {
		t.Fatalf("ReportingURL %q", api)
	}
	resp, err := http.PostForm(api, url.Values{"module": {"API"}, "format": {"JSON"},
		"method": {"SitesManager.getSiteFromId"}, "idSite": {"3"}, "token_auth": {testToken}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), `"timezone": "Europe/Stockholm"`) || !strings.Contains(string(b), `"idsite": 3`) {
		t.Errorf("site 3: %s", b)
	}
}
