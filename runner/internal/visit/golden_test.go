package visit

import (
	"slices"
	"testing"
	"time"
)

// The parameter lists below are the exact hits of fixed visits. Values that
// come from the random stream (page, rand, ids, …) pin the stream: a change
// to the order or number of draws shows up here and must be deliberate.
// The others follow from the model and were checked by hand: cdt = end −
// duration + offset floored to the second (end 12:00:00, visit 191 lasts
// 2m46.240s); h, m, s are that cdt on the clock of the visitor's country
// (visit 191: Italy, Europe/Rome, UTC+1 in March; visit 3: France,
// Europe/Paris, UTC+1); ec_id "run1-5b" is 191 in base 36,
// 90.87 × 2 = 181.74, 10 % tax = 18.17, revenue = 181.74 + 18.17 + 0.00.

var goldenEnd = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// mobileIT is the fingerprint of visit 191 of run "run1": an iPhone in
// Italy, Italian, with a PDF viewer.
var mobileIT = []Param{
	{Key: "lang", Value: "it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7"}, {Key: "res", Value: "430x932"},
	{Key: "fla", Value: "0"}, {Key: "java", Value: "0"}, {Key: "qt", Value: "0"}, {Key: "realp", Value: "0"}, {Key: "pdf", Value: "1"}, {Key: "wma", Value: "0"}, {Key: "ag", Value: "0"}, {Key: "cookie", Value: "1"},
}

func params(parts ...[]Param) Params { return Params(slices.Concat(parts...)) }

func TestHitParamsExact(t *testing.T) {
	v := Generate(busyConfig(), 42, 191)
	v.StampEnd(goldenEnd)
	const (
		page0 = "https://example.test/news/industry/industry-197"
		page1 = "https://example.test/community/feedback/feedback-389"
		page2 = "https://example.test/resources/templates/templates-325"
		vid   = "2dff2bbc45f5f921"
		cip   = "62.19.224.246" // in IT's 62.19.192.0/18
	)
	want := []struct {
		kind   Kind
		page   int
		params Params
	}{
		{Pageview, 0, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page0},
			{Key: "action_name", Value: "News | Industry | Page 197"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1908934431"}, {Key: "cdt", Value: "2025-03-01 11:57:13"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "57"}, {Key: "s", Value: "13"}, {Key: "pv_id", Value: "abb815"},
			{Key: "cip", Value: cip}, {Key: "new_visit", Value: "1"}, {Key: "urlref", Value: "https://www.reddit.com/"},
		}, mobileIT, []Param{{Key: "send_image", Value: "0"}})},
		{Pageview, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Community | Feedback | Page 389"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1415884252"}, {Key: "cdt", Value: "2025-03-01 11:58:03"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "58"}, {Key: "s", Value: "3"}, {Key: "pv_id", Value: "3d5bfa"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileIT, []Param{{Key: "send_image", Value: "0"}})},
		{Event, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Event: Tab Click - Product Features"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1880093736"}, {Key: "cdt", Value: "2025-03-01 11:58:05"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "58"}, {Key: "s", Value: "5"}, {Key: "pv_id", Value: "3d5bfa"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileIT, []Param{{Key: "e_c", Value: "UI"}, {Key: "e_a", Value: "Tab Click"}, {Key: "e_n", Value: "Product Features"}, {Key: "ca", Value: "1"}, {Key: "send_image", Value: "0"}})},
		{Event, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Event: Conversion - Goal Complete"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "995520983"}, {Key: "cdt", Value: "2025-03-01 11:58:35"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "58"}, {Key: "s", Value: "35"}, {Key: "pv_id", Value: "3d5bfa"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileIT, []Param{{Key: "e_c", Value: "Analytics"}, {Key: "e_a", Value: "Conversion"}, {Key: "e_n", Value: "Goal Complete"}, {Key: "e_v", Value: "50"}, {Key: "ca", Value: "1"}, {Key: "send_image", Value: "0"}})},
		{Download, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Download: logo-pack.zip"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1276559935"}, {Key: "cdt", Value: "2025-03-01 11:58:41"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "58"}, {Key: "s", Value: "41"}, {Key: "pv_id", Value: "3d5bfa"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileIT, []Param{{Key: "download", Value: "https://example.test/assets/logo-pack.zip"}, {Key: "send_image", Value: "0"}})},
		{Outlink, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Outlink: https://instagram.com"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1921821700"}, {Key: "cdt", Value: "2025-03-01 11:58:45"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "58"}, {Key: "s", Value: "45"}, {Key: "pv_id", Value: "3d5bfa"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileIT, []Param{{Key: "link", Value: "https://instagram.com"}, {Key: "send_image", Value: "0"}})},
		{Pageview, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "action_name", Value: "Resources | Templates | Page 325"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "871314710"}, {Key: "cdt", Value: "2025-03-01 11:58:55"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "58"}, {Key: "s", Value: "55"}, {Key: "pv_id", Value: "164d2d"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page1},
		}, mobileIT, []Param{{Key: "send_image", Value: "0"}})},
		{SiteSearch, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "action_name", Value: "Search: careers"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "364606329"}, {Key: "cdt", Value: "2025-03-01 11:59:53"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "59"}, {Key: "s", Value: "53"}, {Key: "pv_id", Value: "164d2d"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page1},
		}, mobileIT, []Param{{Key: "search", Value: "careers"}, {Key: "search_count", Value: "12"}, {Key: "send_image", Value: "0"}})},
		{Order, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "action_name", Value: "Ecommerce Order: run1-5b (USD 199.91)"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "347112297"}, {Key: "cdt", Value: "2025-03-01 11:59:53"},
			{Key: "h", Value: "12"}, {Key: "m", Value: "59"}, {Key: "s", Value: "53"}, {Key: "pv_id", Value: "164d2d"},
			{Key: "cip", Value: cip}, {Key: "urlref", Value: page1},
		}, mobileIT, []Param{{Key: "idgoal", Value: "0"}, {Key: "ec_id", Value: "run1-5b"}, {Key: "ec_items", Value: `[["SPORT-002","Dumbbells Set","Sports",90.87,2]]`}, {Key: "revenue", Value: "199.91"}, {Key: "ec_st", Value: "181.74"}, {Key: "ec_tx", Value: "18.17"}, {Key: "ec_sh", Value: "0.00"}, {Key: "ec_currency", Value: "USD"}, {Key: "send_image", Value: "0"}})},
		{Ping, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "_id", Value: vid}, {Key: "rand", Value: "1421461203"}, {Key: "cdt", Value: "2025-03-01 12:00:00"}, {Key: "h", Value: "13"},
			{Key: "m", Value: "0"}, {Key: "s", Value: "0"}, {Key: "pv_id", Value: "164d2d"}, {Key: "cip", Value: cip},
		}, mobileIT, []Param{{Key: "ping", Value: "1"}, {Key: "send_image", Value: "0"}})},
	}
	if len(v.Hits) != len(want) {
		t.Fatalf("%d hits, want %d", len(v.Hits), len(want))
	}
	for i, w := range want {
		h := v.Hits[i]
		if h.Kind != w.kind || h.Page != w.page {
			t.Errorf("hit %d: %v on page %d, want %v on page %d", i, h.Kind, h.Page, w.kind, w.page)
		}
		if !slices.Equal(h.Params, w.params) {
			t.Errorf("hit %d (%v):\n got %v\nwant %v", i, w.kind, h.Params, w.params)
		}
	}
	if v.Source != Social || v.Country != "IT" || v.UserAgent != "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1" {
		t.Errorf("source %v, country %s, user agent %q", v.Source, v.Country, v.UserAgent)
	}
}

// TestFirstHitWithReferrerExact: the first hit of a search visit without
// geo carries new_visit=1 and the search engine as urlref, and no cip.
func TestFirstHitWithReferrerExact(t *testing.T) {
	cfg := defaultConfig()
	cfg.Geo = false
	v := Generate(cfg, 42, 3)
	v.StampEnd(goldenEnd)
	want := Params{
		{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"},
		{Key: "url", Value: "https://example.test/products/hardware/hardware-337"},
		{Key: "action_name", Value: "Products | Hardware | Page 337"},
		{Key: "_id", Value: "3ad5695315b986d8"}, {Key: "rand", Value: "1443202835"},
		{Key: "cdt", Value: "2025-03-01 11:56:44"},                                // 12:00:00 − 3m15.861s
		{Key: "h", Value: "12"}, {Key: "m", Value: "56"}, {Key: "s", Value: "44"}, // Paris, UTC+1
		{Key: "pv_id", Value: "7af56b"},
		{Key: "new_visit", Value: "1"}, {Key: "urlref", Value: "https://www.google.com/search?q=google+analytics+alternative"},
		{Key: "lang", Value: "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"}, {Key: "res", Value: "1440x900"},
		{Key: "fla", Value: "0"}, {Key: "java", Value: "0"}, {Key: "qt", Value: "0"}, {Key: "realp", Value: "0"}, {Key: "pdf", Value: "0"}, {Key: "wma", Value: "0"}, {Key: "ag", Value: "0"}, {Key: "cookie", Value: "1"},
		{Key: "send_image", Value: "0"},
	}
	if v.Source != Search || v.Country != "FR" || !slices.Equal(v.Hits[0].Params, want) {
		t.Errorf("source %v, first hit\n got %v\nwant %v", v.Source, v.Hits[0].Params, want)
	}
}
