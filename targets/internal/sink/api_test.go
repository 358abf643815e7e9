package sink

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

// api asks the sink's Reporting API (a POSTed form, as the client does)
// and returns the answer.
func (ts *testSink) api(kv ...string) answer {
	ts.t.Helper()
	v := url.Values{"module": {"API"}, "format": {"JSON"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return ts.post("/index.php", "", "application/x-www-form-urlencoded", v.Encode())
}

// wantJSON fails unless a is a 200 whose JSON equals want (compared
// compactly, key order included).
func wantJSON(t *testing.T, a answer, want string) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d (%s), want 200", a.status, a.body)
	}
	var got, exp bytes.Buffer
	if err := json.Compact(&got, []byte(a.body)); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, a.body)
	}
	if err := json.Compact(&exp, []byte(want)); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	if got.String() != exp.String() {
		t.Errorf("answer\n%s\nwant\n%s", got.String(), exp.String())
	}
}

// ipOf is an address the sink places in country.
func ipOf(country string) string {
	return matomodata.RandomIP(country, rand.New(rand.NewPCG(1, 2))).String()
}

const visitorA, visitorB, visitorC = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"

// knownDay sends three visits on 2024-06-01 (UTC), the test clock's day:
//
//	A 10:00-10:06 from the US via Google: pageview, site search, two
//	  UI/Click events, an outlink, an order, a ping;
//	B 11:00-11:02 from Germany, direct: pageview, download, Video/Play;
//	C 11:30 from 127.0.0.1 (unknown country), a campaign: one pageview.
func knownDay(t *testing.T, ts *testSink) {
	t.Helper()
	ago := func(h, m int) time.Duration { return testNow.Sub(time.Date(2024, 6, 1, h, m, 0, 0, time.UTC)) }
	us, de := ipOf("US"), ipOf("DE")
	sendAll(t, ts,
		at(visitorA, ago(10, 0), "cip", us, "urlref", "https://www.google.com/search?q=shoes"),
		at(visitorA, ago(10, 1), "cip", us, "search", "shoes"),
		at(visitorA, ago(10, 2), "cip", us, "e_c", "UI", "e_a", "Click"),
		at(visitorA, ago(10, 3), "cip", us, "e_c", "UI", "e_a", "Click"),
		at(visitorA, ago(10, 4), "cip", us, "link", "https://ext.example.org/x"),
		at(visitorA, ago(10, 5), "cip", us, "idgoal", "0", "ec_id", "O-1", "revenue", "110.5", "ec_st", "100",
			"ec_tx", "10", "ec_sh", "5.5", "ec_dt", "5", "ec_items", `[["SKU-1","Shoe","Shoes",50,2]]`),
		at(visitorA, ago(10, 6), "cip", us, "ping", "1"),
		at(visitorB, ago(11, 0), "cip", de),
		at(visitorB, ago(11, 1), "cip", de, "download", "https://shop.example.com/f.pdf"),
		at(visitorB, ago(11, 2), "cip", de, "e_c", "Video", "e_a", "Play"),
		at(visitorC, ago(11, 30), "url", "https://shop.example.com/?mtm_campaign=spring"),
	)
}

func TestAPIReportsOfAKnownDay(t *testing.T) {
	ts := newTestSink(t, Config{})
	knownDay(t, ts)
	day := []string{"idSite", "1", "period", "day", "date", "2024-06-01", "token_auth", testToken}
	ask := func(method string, kv ...string) answer {
		return ts.api(append(append([]string{"method", method}, day...), kv...)...)
	}
	cases := []struct {
		name string
		a    answer
		want string
	}{
		{"VisitsSummary.get", ask("VisitsSummary.get"), `{"nb_uniq_visitors":3,"nb_users":0,"nb_visits":3,"nb_actions":9,
			"nb_visits_converted":1,"bounce_count":1,"sum_visit_length":480,"max_actions":5,"bounce_rate":"33%",
			"nb_actions_per_visit":3,"avg_time_on_site":160}`},
		{"today is the same day", ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", testToken),
			`{"nb_uniq_visitors":3,"nb_users":0,"nb_visits":3,"nb_actions":9,"nb_visits_converted":1,"bounce_count":1,
			"sum_visit_length":480,"max_actions":5,"bounce_rate":"33%","nb_actions_per_visit":3,"avg_time_on_site":160}`},
		{"yesterday is empty", ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "yesterday", "token_auth", testToken),
			`{"nb_uniq_visitors":0,"nb_users":0,"nb_visits":0,"nb_actions":0,"nb_visits_converted":0,"bounce_count":0,
			"sum_visit_length":0,"max_actions":0,"bounce_rate":"0%","nb_actions_per_visit":0,"avg_time_on_site":0}`},
		{"Actions.get", ask("Actions.get"), `{"nb_pageviews":3,"nb_downloads":1,"nb_outlinks":1,"nb_searches":1}`},
		{"Goals.get", ask("Goals.get", "idGoal", "ecommerceOrder"), `{"nb_conversions":1,"nb_visits_converted":1,
			"revenue":110.5,"revenue_subtotal":100,"revenue_tax":10,"revenue_shipping":5.5,"revenue_discount":5,
			"items":2,"avg_order_revenue":110.5,"conversion_rate":"33.33%"}`},
		{"Events.getCategory flat", ask("Events.getCategory", "flat", "1", "filter_limit", "-1"), `[
			{"label":"UI - Click","nb_uniq_visitors":1,"nb_visits":1,"nb_events":2,"Events_EventCategory":"UI","Events_EventAction":"Click"},
			{"label":"Video - Play","nb_uniq_visitors":1,"nb_visits":1,"nb_events":1,"Events_EventCategory":"Video","Events_EventAction":"Play"}]`},
		{"Events.getCategory filter_limit", ask("Events.getCategory", "flat", "1", "filter_limit", "1"), `[
			{"label":"UI - Click","nb_uniq_visitors":1,"nb_visits":1,"nb_events":2,"Events_EventCategory":"UI","Events_EventAction":"Click"}]`},
		{"Events.getCategory by category", ask("Events.getCategory"), `[
			{"label":"UI","nb_uniq_visitors":1,"nb_visits":1,"nb_events":2},
			{"label":"Video","nb_uniq_visitors":1,"nb_visits":1,"nb_events":1}]`},
		{"Referrers.getReferrerType", ask("Referrers.getReferrerType"), `[
			{"label":"Direct Entry","nb_visits":1,"nb_actions":3,"segment":"referrerType==direct","referrer_type":1},
			{"label":"Search Engines","nb_visits":1,"nb_actions":5,"segment":"referrerType==search","referrer_type":2,"idsubdatatable":2},
			{"label":"Campaigns","nb_visits":1,"nb_actions":1,"segment":"referrerType==campaign","referrer_type":6,"idsubdatatable":6}]`},
		{"UserCountry.getCountry", ask("UserCountry.getCountry", "filter_limit", "-1"), `[
			{"label":"Germany","nb_visits":1,"code":"de","logo":"plugins/Morpheus/icons/dist/flags/de.png","segment":"countryCode==de","logoHeight":16},
			{"label":"United States","nb_visits":1,"code":"us","logo":"plugins/Morpheus/icons/dist/flags/us.png","segment":"countryCode==us","logoHeight":16},
			{"label":"Unknown","nb_visits":1,"code":"xx","logo":"plugins/Morpheus/icons/dist/flags/xx.png","segment":"countryCode==xx","logoHeight":16}]`},
		{"Live.getCounters 60 minutes", ts.api("method", "Live.getCounters", "idSite", "1", "lastMinutes", "60", "token_auth", testToken),
			`[{"visits":2,"actions":4,"visitors":2,"visitsConverted":0}]`},
		{"Live.getCounters 180 minutes", ts.api("method", "Live.getCounters", "idSite", "1", "lastMinutes", "180", "token_auth", testToken),
			`[{"visits":3,"actions":9,"visitors":3,"visitsConverted":1}]`},
		{"API.getMatomoVersion", ts.api("method", "API.getMatomoVersion", "token_auth", testToken), `{"value":"5.0.2"}`},
		{"SitesManager.getSiteFromId", ts.api("method", "SitesManager.getSiteFromId", "idSite", "1", "token_auth", testToken),
			`{"idsite":1,"name":"Site 1","main_url":"https://example.test","ts_created":"2000-01-01 00:00:00","ecommerce":1,
			"sitesearch":1,"timezone":"UTC","currency":"USD","type":"website","timezone_name":"UTC","currency_name":"US Dollar"}`},
		{"CoreAdminHome.invalidateArchivedReports", ts.api("method", "CoreAdminHome.invalidateArchivedReports", "idSites", "1",
			"dates", "2024-06-01", "period", "day", "token_auth", testToken),
			`["Success. The following dates were invalidated successfully: 2024-06-01"]`},
		{"unknown method", ts.api("method", "Foo.bar", "token_auth", testToken),
			`{"result":"error","message":"The method 'Foo.bar' does not exist or is not available in the module '\\Piwik\\Plugins\\Foo\\API'."}`},
		{"unknown site", ask("VisitsSummary.get", "idSite", "9"),
			`{"result":"error","message":"An unexpected website was found in the request: website id was set to '9' ."}`},
		{"bad date", ask("VisitsSummary.get", "date", "2024-13-01"),
			`{"result":"error","message":"Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime function (see http://php.net/strtotime for more information): 2024-13-01"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantJSON(t, c.a, c.want) })
	}
}

func TestAPILiveVisitOfAVisitor(t *testing.T) {
	ts := newTestSink(t, Config{})
	knownDay(t, ts)
	a := ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "period", "range", "date", "2024-05-31,2024-06-01",
		"segment", "visitorId=="+visitorA, "filter_limit", "-1", "token_auth", testToken)
	ts10 := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC).Unix()
	wantJSON(t, a, `[{"idSite":1,"idVisit":1,"visitorId":"aaaaaaaaaaaaaaaa","actionDetails":[
		{"type":"action","url":"https://shop.example.com/products/page-1","timestamp":`+itoa(ts10)+`},
		{"type":"search","url":"https://shop.example.com/products/page-1","siteSearchKeyword":"shoes","timestamp":`+itoa(ts10+60)+`},
		{"type":"event","url":"https://shop.example.com/products/page-1","eventCategory":"UI","eventAction":"Click","timestamp":`+itoa(ts10+120)+`},
		{"type":"event","url":"https://shop.example.com/products/page-1","eventCategory":"UI","eventAction":"Click","timestamp":`+itoa(ts10+180)+`},
		{"type":"outlink","url":"https://ext.example.org/x","timestamp":`+itoa(ts10+240)+`},
		{"type":"ecommerceOrder","orderId":"O-1","revenue":110.5,"timestamp":`+itoa(ts10+300)+`}],
		"serverDate":"2024-06-01","lastActionTimestamp":`+itoa(ts10+360)+`,"lastActionDateTime":"2024-06-01 10:06:00",
		"serverTimestamp":`+itoa(ts10+360)+`,"firstActionTimestamp":`+itoa(ts10)+`,"visitConverted":1,"visitDuration":360,
		"actions":5,"referrerType":"search","countryCode":"us"}]`)

	// Most recent first, filter_limit, without actions; a day without the visitor.
	a = ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "period", "day", "date", "2024-06-01",
		"filter_limit", "2", "doNotFetchActions", "1", "token_auth", testToken)
	var visits []struct {
		VisitorID string            `json:"visitorId"`
		Actions   []json.RawMessage `json:"actionDetails"`
	}
	if err := json.Unmarshal([]byte(a.body), &visits); err != nil {
		t.Fatal(err)
	}
	if len(visits) != 2 || visits[0].VisitorID != visitorC || visits[1].VisitorID != visitorB || len(visits[0].Actions)+len(visits[1].Actions) != 0 {
		t.Errorf("last two visits without actions: %s", a.body)
	}
	wantJSON(t, ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "period", "day", "date", "2024-05-31",
		"segment", "visitorId=="+visitorA, "token_auth", testToken), `[]`)
	wantJSON(t, ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "segment", "browserCode==FF", "token_auth", testToken),
		`{"result":"error","message":"The segment 'browserCode==FF' is not supported by the trafficinator sink: use visitorId==<16 hex digits>."}`)
}

func itoa(n int64) string { return strings.TrimSpace(string(mustJSON(n))) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestAPITokens(t *testing.T) {
	ts := newTestSink(t, Config{Sites: []Site{{ID: 1, Tokens: []string{testToken}}, {ID: 2, Tokens: []string{otherToken}}, {ID: 3}}})
	// A token valid for no site: Matomo's HTML page, whatever the format.
	a := ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", "wrong-token-123")
	if a.status != http.StatusUnauthorized || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(a.body, "<h2>Unable to authenticate with the provided token. It is either invalid or expired.</h2>") {
		t.Errorf("wrong token: %d %s\n%s", a.status, a.header.Get("Content-Type"), a.body)
	}
	if strings.Contains(a.body, "wrong-token-123") {
		t.Error("the page shows the token")
	}
	// A token of another site, or none, on a site with tokens: no view access.
	for _, tok := range []string{otherToken, ""} {
		wantJSON(t, ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", tok),
			`{"result":"error","message":"You can't access this resource as it requires 'view' access for the website id = 1."}`)
	}
	// A site without tokens is open to any known token and to none.
	for _, tok := range []string{otherToken, ""} {
		if a := ts.api("method", "Actions.get", "idSite", "3", "period", "day", "date", "today", "token_auth", tok); !strings.Contains(a.body, "nb_pageviews") {
			t.Errorf("site 3 with token %q: %s", tok, a.body)
		}
	}
	// GET works as well as POST.
	a = ts.get("/index.php", "module=API&method=API.getMatomoVersion&format=xml&token_auth="+otherToken)
	wantJSON(t, a, `{"value":"5.0.2"}`)
}

// Days are the site's: a site in New York (UTC-4 in summer) over three
// days, with cdt and a token, as a backfill sends them.
func TestAPIDaysInSiteTimezone(t *testing.T) {
	ts := newTestSink(t, Config{Sites: []Site{{ID: 1, Tokens: []string{testToken}, Timezone: "America/New_York"}}})
	utc := func(d, h, m int) time.Duration { return testNow.Sub(time.Date(2024, 5, d, h, m, 0, 0, time.UTC)) }
	sendAll(t, ts,
		at(visitorA, utc(29, 3, 40)),                        // 05-28 23:40 New York
		at(visitorA, utc(29, 3, 50)),                        // 05-28 23:50: same visit
		at(visitorA, utc(29, 4, 1), "e_c", "C", "e_a", "A"), // 05-29 00:01: midnight ends the visit
		at(visitorB, utc(29, 5, 0)),                         // 05-29 01:00
		at(visitorA, utc(30, 3, 30)),                        // 05-29 23:30: A's second visit that day
		at(visitorC, utc(31, 12, 0)),                        // 05-31 08:00
	)
	want := map[string]string{
		"2024-05-28": `{"nb_uniq_visitors":1,"nb_visits":1,"nb_actions":2}`,
		"2024-05-29": `{"nb_uniq_visitors":2,"nb_visits":3,"nb_actions":3}`,
		"2024-05-30": `{"nb_uniq_visitors":0,"nb_visits":0,"nb_actions":0}`,
		"2024-05-31": `{"nb_uniq_visitors":1,"nb_visits":1,"nb_actions":1}`,
	}
	for date, w := range want {
		a := ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", date, "token_auth", testToken)
		var got struct {
			Uniq    int64 `json:"nb_uniq_visitors"`
			Visits  int64 `json:"nb_visits"`
			Actions int64 `json:"nb_actions"`
		}
		if err := json.Unmarshal([]byte(a.body), &got); err != nil {
			t.Fatal(err)
		}
		wantJSON(t, answer{status: 200, body: string(mustJSON(got))}, w)
	}
	wantJSON(t, ts.api("method", "Events.getCategory", "idSite", "1", "period", "day", "date", "2024-05-29", "flat", "1", "token_auth", testToken),
		`[{"label":"C - A","nb_uniq_visitors":1,"nb_visits":1,"nb_events":1,"Events_EventCategory":"C","Events_EventAction":"A"}]`)
	// Live over the range: A's three visits, most recent first, by the site's days.
	a := ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "period", "range", "date", "2024-05-28,2024-05-31",
		"segment", "visitorId=="+visitorA, "token_auth", testToken)
	var visits []struct {
		Date string `json:"serverDate"`
	}
	if err := json.Unmarshal([]byte(a.body), &visits); err != nil {
		t.Fatal(err)
	}
	if got := string(mustJSON(visits)); got != `[{"serverDate":"2024-05-29"},{"serverDate":"2024-05-29"},{"serverDate":"2024-05-28"}]` {
		t.Errorf("A's visits: %s", got)
	}
}
