package reporting

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// TestRequestsCarryExactParameters: every method is one POST to the
// configured index.php, with no query string, and a body of exactly its
// parameters, token_auth included.
func TestRequestsCarryExactParameters(t *testing.T) {
	api := newFakeAPI(t)
	c := api.client(t, 7)
	ctx := context.Background()
	base := func(method string, kv ...string) url.Values {
		v := url.Values{"module": {"API"}, "format": {"JSON"}, "method": {method}, "token_auth": {testToken}}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	day := []string{"idSite", "7", "period", "day", "date", "2026-12-03"}
	calls := []struct {
		name string
		call func() error
		want []url.Values
	}{
		{"Version", func() error { _, err := c.Version(ctx); return err }, []url.Values{base("API.getMatomoVersion")}},
		{"Site", func() error { _, err := c.Site(ctx); return err }, []url.Values{base("SitesManager.getSiteFromId", "idSite", "7")}},
		{"Counters", func() error { _, err := c.Counters(ctx, 30); return err },
			[]url.Values{base("Live.getCounters", "idSite", "7", "lastMinutes", "30")}},
		{"Invalidate", func() error { return c.Invalidate(ctx, []string{"2026-12-02", "2026-12-03"}) },
			[]url.Values{base("CoreAdminHome.invalidateArchivedReports", "idSites", "7", "dates", "2026-12-02,2026-12-03", "period", "day")}},
		{"Day", func() error { _, err := c.Day(ctx, "2026-12-03"); return err }, []url.Values{
			base("VisitsSummary.get", day...),
			base("Actions.get", day...),
			base("Events.getCategory", append(day, "flat", "1", "filter_limit", "-1")...),
			base("Goals.get", append(day, "idGoal", "ecommerceOrder")...),
			base("Referrers.getReferrerType", day...),
			base("UserCountry.getCountry", append(day, "filter_limit", "-1")...),
		}},
		{"Visits", func() error {
			_, err := c.Visits(ctx, "65b829eed8673f59", "2026-12-01", "2026-12-03")
			return err
		}, []url.Values{base("Live.getLastVisitsDetails", "idSite", "7", "period", "range", "date", "2026-12-01,2026-12-03",
			"segment", "visitorId==65b829eed8673f59", "filter_limit", "-1")}},
		{"HasRawVisits", func() error { _, err := c.HasRawVisits(ctx, "2026-12-03"); return err },
			[]url.Values{base("Live.getLastVisitsDetails", append(day, "filter_limit", "1", "doNotFetchActions", "1")...)}},
	}
	seen := 0
	for _, tc := range calls {
		if err := tc.call(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		forms, queries, paths := api.requests()
		if got := forms[seen:]; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s sent\n%v\nwant\n%v", tc.name, got, tc.want)
		}
		for i := seen; i < len(forms); i++ {
			if queries[i] != "" || paths[i] != "/matomo/index.php" {
				t.Errorf("%s: request to %s?%s, want /matomo/index.php without a query", tc.name, paths[i], queries[i])
			}
		}
		seen = len(forms)
	}
}

// TestTokenNeverInErrors: whatever goes wrong, and even when Matomo
// repeats the token in its message, no error text (with any verb)
// carries it, in any of its encodings.
func TestTokenNeverInErrors(t *testing.T) {
	echo := func(form url.Values) string { return form.Get("token_auth") }
	for _, tc := range []struct {
		name   string
		status int
		body   func(url.Values) string
		kind   ErrorKind
	}{
		{"json error", 200, func(f url.Values) string {
			return `{"result":"error","message":"token ` + echo(f) + ` / ` + url.QueryEscape(echo(f)) + ` has no access"}`
		}, KindAuth},
		{"html page", 200, func(f url.Values) string { return "<html><h2>Token " + echo(f) + " is wrong</h2></html>" }, KindAuth},
		{"api error", 200, func(f url.Values) string {
			return `{"result":"error","message":"method unknown; got ` + strings.ReplaceAll(echo(f), "/", `\/`) + `"}`
		}, KindAPI},
		{"server error", 500, func(f url.Values) string { return "fatal " + echo(f) }, KindHTTP},
		{"garbage", 200, func(f url.Values) string { return `{"nb_visits": "` + echo(f) + `"}` }, KindDecode},
	} {
		api := newFakeAPI(t)
		api.answer = func(f url.Values) (int, []byte) { return tc.status, []byte(tc.body(f)) }
		_, err := api.client(t, 1).Day(context.Background(), "2026-12-03")
		e, ok := err.(*Error)
		if !ok || e.Kind != tc.kind {
			t.Errorf("%s: error %T %v, want kind %s", tc.name, err, err, tc.kind)
			continue
		}
		assertNoToken(t, tc.name, e)
	}
	// No answer at all: the transport error's text.
	api := newFakeAPI(t)
	c := api.client(t, 1)
	api.srv.Close()
	_, err := c.Version(context.Background())
	if e, ok := err.(*Error); !ok || e.Kind != KindHTTP || e.Status != 0 {
		t.Fatalf("closed server: %T %v", err, err)
	}
	assertNoToken(t, "closed server", err)
}

func assertNoToken(t *testing.T, name string, err error) {
	t.Helper()
	for _, form := range []string{testToken, url.QueryEscape(testToken), "t0ken"} {
		for _, s := range []string{err.Error(), sprintAll(err)} {
			if strings.Contains(s, form) {
				t.Errorf("%s: error shows the token (%q): %s", name, form, s)
			}
		}
	}
}
