package sink

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// at is a valid hit of visitor id at the test clock minus ago, with the
// token that an old cdt needs.
func at(id string, ago time.Duration, kv ...string) url.Values {
	v := with(validHit(), "_id", id, "cdt", cdtAgo(ago), "token_auth", testToken)
	return with(v, kv...)
}

func sendAll(t *testing.T, ts *testSink, hits ...url.Values) {
	t.Helper()
	for _, h := range hits {
		wantStatus(t, ts.postForm(h), http.StatusNoContent)
	}
}

func TestVisitBoundaries(t *testing.T) {
	const a, b = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"
	cases := []struct {
		name   string
		hits   []url.Values
		visits int64
	}{
		{"three hits within ten minutes", []url.Values{at(a, 2*time.Hour), at(a, 2*time.Hour-5*time.Minute), at(a, 2*time.Hour-10*time.Minute)}, 1},
		{"29:59 of inactivity", []url.Values{at(a, 2*time.Hour), at(a, 2*time.Hour-29*time.Minute-59*time.Second)}, 1},
		{"30:00 of inactivity", []url.Values{at(a, 2*time.Hour), at(a, 90*time.Minute)}, 2},
		{"new_visit=1", []url.Values{at(a, 2*time.Hour), at(a, 2*time.Hour-time.Minute, "new_visit", "1")}, 2},
		{"another _id", []url.Values{at(a, 2*time.Hour), at(b, 2*time.Hour-time.Minute)}, 2},
		{"out of order within 30 minutes", []url.Values{at(a, time.Hour), at(a, time.Hour+10*time.Minute)}, 1},
		{"cid overrides _id", []url.Values{at(a, time.Hour, "cid", "cccccccccccccccc"), at(b, time.Hour-time.Minute, "cid", "cccccccccccccccc")}, 1},
		{"uid overrides _id", []url.Values{at(a, time.Hour, "uid", "user@example.com"), at(b, time.Hour-time.Minute, "uid", "user@example.com")}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestSink(t, Config{})
			sendAll(t, ts, c.hits...)
			if v := ts.site(1).Visits; v != c.visits {
				t.Errorf("visits = %d, want %d", v, c.visits)
			}
		})
	}
}

// A visit also ends at midnight in the site's timezone.
func TestVisitEndsAtMidnightInSiteTimezone(t *testing.T) {
	// 21:50 and 22:10 UTC on 2024-05-31 are 23:50 and 00:10 in Stockholm (UTC+2).
	first := time.Date(2024, 5, 31, 21, 50, 0, 0, time.UTC)
	second := first.Add(20 * time.Minute)
	hits := []url.Values{
		at("aaaaaaaaaaaaaaaa", testNow.Sub(first)),
		at("aaaaaaaaaaaaaaaa", testNow.Sub(second)),
	}
	ts := newTestSink(t, Config{Sites: []Site{
		{ID: 1, Tokens: []string{testToken}, Timezone: "Europe/Stockholm"},
		{ID: 2, Tokens: []string{testToken}},
	}})
	sendAll(t, ts, hits...)
	for _, h := range hits {
		sendAll(t, ts, with(h, "idsite", "2"))
	}
	sthlm, utc := ts.site(1), ts.site(2)
	if sthlm.Visits != 2 || sthlm.Timezone != "Europe/Stockholm" {
		t.Errorf("Stockholm: %d visits (%s), want 2", sthlm.Visits, sthlm.Timezone)
	}
	if sthlm.HitsPerDay["2024-05-31"] != 1 || sthlm.HitsPerDay["2024-06-01"] != 1 || len(sthlm.HitsPerDay) != 2 {
		t.Errorf("Stockholm hits per day %v", sthlm.HitsPerDay)
	}
	if sthlm.VisitsPerDay["2024-05-31"] != 1 || sthlm.VisitsPerDay["2024-06-01"] != 1 {
		t.Errorf("Stockholm visits per day %v", sthlm.VisitsPerDay)
	}
	if utc.Visits != 1 || utc.Timezone != "UTC" || utc.HitsPerDay["2024-05-31"] != 2 {
		t.Errorf("UTC: %d visits, hits per day %v; want 1 visit, 2 hits on 2024-05-31", utc.Visits, utc.HitsPerDay)
	}
}

func TestActionsByKind(t *testing.T) {
	ts := newTestSink(t, Config{Sites: []Site{{ID: 1, Goals: []int{4}}}})
	const id = "dddddddddddddddd"
	v := with(validHit(), "_id", id)
	sendAll(t, ts,
		v,
		with(v, "search", "pricing", "search_count", "3"),
		with(v, "link", "https://github.com/"),
		with(v, "download", "https://example.com/a.pdf"),
		with(v, "e_c", "Cart", "e_a", "Add", "e_v", "5"),
		with(v, "ping", "1"),
		with(v, "idgoal", "0", "ec_id", "O-1", "revenue", "19.99", "ec_st", "19.99"),
		with(v, "idgoal", "0", "ec_id", "O-2", "revenue", "5.01"),
		with(v, "idgoal", "0"),
		with(v, "idgoal", "4"),
		with(v, "download", "https://example.com/b.zip", "e_c", "x", "e_a", "y"), // a download wins over an event
	)
	s := ts.site(1)
	want := map[string]int64{"pageview": 1, "site_search": 1, "outlink": 1, "download": 2, "event": 1, "ping": 1}
	for k, n := range want {
		if s.ActionsByKind[k] != n {
			t.Errorf("%s = %d, want %d", k, s.ActionsByKind[k], n)
		}
	}
	if len(s.ActionsByKind) != len(want) {
		t.Errorf("actions by kind %v", s.ActionsByKind)
	}
	if s.Actions != 6 || s.Orders != 2 || s.Revenue != 25 || s.CartUpdates != 1 || s.Conversions != 1 {
		t.Errorf("actions %d orders %d revenue %v carts %d conversions %d; want 6 2 25 1 1",
			s.Actions, s.Orders, s.Revenue, s.CartUpdates, s.Conversions)
	}
	if s.Visits != 1 || s.Visitors != 1 {
		t.Errorf("visits %d visitors %d, want 1 1", s.Visits, s.Visitors)
	}
}

func TestReferrersAndCountries(t *testing.T) {
	ts := newTestSink(t, Config{})
	visit := func(id string, kv ...string) url.Values {
		return with(validHit(), append([]string{"_id", id, "token_auth", testToken}, kv...)...)
	}
	sendAll(t, ts,
		visit("1000000000000001"),
		visit("1000000000000002", "urlref", "https://www.google.de/search?q=shop", "cip", "130.199.1.1"),
		visit("1000000000000003", "urlref", "https://search.yahoo.com/search?p=x", "cip", "142.159.65.1"),
		visit("1000000000000004", "urlref", "https://twitter.com/someone", "cip", "41.114.200.9"),
		visit("1000000000000005", "urlref", "https://www.reddit.com/r/x", "cip", "203.0.113.9"),
		visit("1000000000000006", "urlref", "https://blog.example.org/post"),
		visit("1000000000000007", "urlref", "https://shop.example.com/cart"), // internal: direct
		visit("1000000000000008", "url", "https://shop.example.com/?mtm_campaign=spring", "urlref", "https://twitter.com/"),
		visit("1000000000000009", "_rcn", "newsletter", "urlref", "https://www.bing.com/search?q=x"),
		visit("100000000000000a", "url", "https://shop.example.com/?utm_source=mail&utm_medium=email"),
		visit("100000000000000b", "url", "https://shop.example.com/?mtm_campaign=%20", "urlref", "https://l.facebook.com/l.php"),
		visit("1000000000000006", "urlref", "https://www.google.com/"), // same visit: not attributed again
	)
	s := ts.site(1)
	wantKinds := map[string]int64{"direct": 2, "search": 2, "social": 3, "referral": 1, "campaign": 3}
	for k, n := range wantKinds {
		if s.Referrers[k] != n {
			t.Errorf("referrers[%s] = %d, want %d (all: %v)", k, s.Referrers[k], n, s.Referrers)
		}
	}
	wantHosts := map[string]int64{"google.de": 1, "search.yahoo.com": 1, "twitter.com": 1, "reddit.com": 1, "blog.example.org": 1, "l.facebook.com": 1}
	if len(s.ReferrerHosts) != len(wantHosts) {
		t.Errorf("referrer hosts %v, want %v", s.ReferrerHosts, wantHosts)
	}
	for h, n := range wantHosts {
		if s.ReferrerHosts[h] != n {
			t.Errorf("referrer host %s = %d, want %d", h, s.ReferrerHosts[h], n)
		}
	}
	wantCountries := map[string]int64{"US": 1, "CA": 1, "ZA": 1, "unknown": 8}
	for c, n := range wantCountries {
		if s.Countries[c] != n {
			t.Errorf("countries[%s] = %d, want %d (all: %v)", c, s.Countries[c], n, s.Countries)
		}
	}
	if s.Visits != 11 || s.Visitors != 11 {
		t.Errorf("visits %d visitors %d, want 11 11", s.Visits, s.Visitors)
	}
}

// Hits without any visitor id are told apart by fingerprint, as Matomo does.
func TestFingerprintWithoutVisitorID(t *testing.T) {
	ts := newTestSink(t, Config{})
	v := with(validHit(), "-_id", "")
	for _, ua := range []string{"UA-one", "UA-one", "UA-two"} {
		req, _ := http.NewRequest(http.MethodGet, ts.srv.URL+"/matomo.php?"+v.Encode(), nil)
		req.Header.Set("User-Agent", ua)
		wantStatus(t, ts.do(req), http.StatusNoContent)
	}
	if s := ts.site(1); s.Visits != 2 || s.Visitors != 2 {
		t.Errorf("visits %d visitors %d, want 2 2", s.Visits, s.Visitors)
	}
}
