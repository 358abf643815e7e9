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
// 2m56.627s), ec_id "run1-5b" is 191 in base 36, 90.87 × 2 = 181.74,
// 10 % tax = 18.17, revenue = 181.74 + 18.17 + 0.00.

var goldenEnd = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// mobileES is the fingerprint of visit 191 of run "run1": an iPhone,
// Spanish, no PDF.
var mobileES = []Param{
	{Key: "lang", Value: "es-ES,es;q=0.9"}, {Key: "res", Value: "430x932"},
	{Key: "fla", Value: "0"}, {Key: "java", Value: "0"}, {Key: "qt", Value: "0"}, {Key: "realp", Value: "0"}, {Key: "pdf", Value: "0"}, {Key: "wma", Value: "0"}, {Key: "ag", Value: "0"}, {Key: "cookie", Value: "1"},
}

func params(parts ...[]Param) Params { return Params(slices.Concat(parts...)) }

func TestHitParamsExact(t *testing.T) {
	v := Generate(busyConfig(), 42, 191)
	v.StampEnd(goldenEnd)
	const (
		page0 = "https://example.test/support/documentation/documentation-251"
		page1 = "https://example.test/blog/tutorials/tutorials-418"
		page2 = "https://example.test/community/showcase/showcase-133"
		vid   = "2dff2bbc45f5f921"
		cip   = "142.50.253.17"
	)
	want := []struct {
		kind   Kind
		page   int
		params Params
	}{
		{Pageview, 0, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page0},
			{Key: "action_name", Value: "Support | Documentation | Page 251"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1908934431"},
			{Key: "cdt", Value: "2025-03-01 11:57:03"}, {Key: "pv_id", Value: "ce1c4e"}, {Key: "cip", Value: cip}, {Key: "new_visit", Value: "1"},
		}, mobileES, []Param{{Key: "send_image", Value: "0"}})},
		{Pageview, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Blog | Tutorials | Page 418"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1415884252"},
			{Key: "cdt", Value: "2025-03-01 11:57:38"}, {Key: "pv_id", Value: "91560e"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileES, []Param{{Key: "send_image", Value: "0"}})},
		{Event, 1, params([]Param{ // a click event: no value
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Event: Tab Click - Product Features"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1880093736"},
			{Key: "cdt", Value: "2025-03-01 11:57:41"}, {Key: "pv_id", Value: "91560e"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileES, []Param{
			{Key: "e_c", Value: "UI"}, {Key: "e_a", Value: "Tab Click"}, {Key: "e_n", Value: "Product Features"}, {Key: "ca", Value: "1"}, {Key: "send_image", Value: "0"},
		})},
		{Event, 1, params([]Param{ // a random event with e_v
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Event: Conversion - Goal Complete"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "995520983"},
			{Key: "cdt", Value: "2025-03-01 11:58:20"}, {Key: "pv_id", Value: "91560e"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileES, []Param{
			{Key: "e_c", Value: "Analytics"}, {Key: "e_a", Value: "Conversion"}, {Key: "e_n", Value: "Goal Complete"}, {Key: "e_v", Value: "50"}, {Key: "ca", Value: "1"}, {Key: "send_image", Value: "0"},
		})},
		{Download, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Download: logo-pack.zip"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1276559935"},
			{Key: "cdt", Value: "2025-03-01 11:58:28"}, {Key: "pv_id", Value: "91560e"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileES, []Param{
			{Key: "download", Value: "https://example.test/assets/logo-pack.zip"}, {Key: "send_image", Value: "0"},
		})},
		{Outlink, 1, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page1},
			{Key: "action_name", Value: "Outlink: https://instagram.com"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "1921821700"},
			{Key: "cdt", Value: "2025-03-01 11:58:33"}, {Key: "pv_id", Value: "91560e"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page0},
		}, mobileES, []Param{{Key: "link", Value: "https://instagram.com"}, {Key: "send_image", Value: "0"}})},
		{Pageview, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "action_name", Value: "Community | Showcase | Page 133"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "871314710"},
			{Key: "cdt", Value: "2025-03-01 11:58:46"}, {Key: "pv_id", Value: "de5174"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page1},
		}, mobileES, []Param{{Key: "send_image", Value: "0"}})},
		{SiteSearch, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "action_name", Value: "Search: guide"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "364606329"},
			{Key: "cdt", Value: "2025-03-01 11:59:28"}, {Key: "pv_id", Value: "de5174"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page1},
		}, mobileES, []Param{
			{Key: "search", Value: "guide"}, {Key: "search_cat", Value: "Support"}, {Key: "search_count", Value: "12"}, {Key: "send_image", Value: "0"},
		})},
		{Order, 2, params([]Param{
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "action_name", Value: "Ecommerce Order: run1-5b (USD 199.91)"}, {Key: "_id", Value: vid}, {Key: "rand", Value: "347112297"},
			{Key: "cdt", Value: "2025-03-01 11:59:28"}, {Key: "pv_id", Value: "de5174"}, {Key: "cip", Value: cip}, {Key: "urlref", Value: page1},
		}, mobileES, []Param{
			{Key: "idgoal", Value: "0"}, {Key: "ec_id", Value: "run1-5b"},
			{Key: "ec_items", Value: `[["SPORT-002","Dumbbells Set","Sports",90.87,2]]`},
			{Key: "revenue", Value: "199.91"}, {Key: "ec_st", Value: "181.74"}, {Key: "ec_tx", Value: "18.17"}, {Key: "ec_sh", Value: "0.00"},
			{Key: "ec_currency", Value: "USD"}, {Key: "send_image", Value: "0"},
		})},
		{Ping, 2, params([]Param{ // the last pageview's pv_id, a rand, no action_name, no urlref, no ca
			{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: page2},
			{Key: "_id", Value: vid}, {Key: "rand", Value: "1421461203"},
			{Key: "cdt", Value: "2025-03-01 12:00:00"}, {Key: "pv_id", Value: "de5174"}, {Key: "cip", Value: cip},
		}, mobileES, []Param{{Key: "ping", Value: "1"}, {Key: "send_image", Value: "0"}})},
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
	if v.Source != Direct || v.UserAgent != "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1" {
		t.Errorf("source %v, user agent %q", v.Source, v.UserAgent)
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
		{Key: "url", Value: "https://example.test/solutions/education/education-350"},
		{Key: "action_name", Value: "Solutions | Education | Page 350"},
		{Key: "_id", Value: "3ad5695315b986d8"}, {Key: "rand", Value: "453636232"},
		{Key: "cdt", Value: "2025-03-01 11:54:43"}, // 12:00:00 − 5m16.731s
		{Key: "pv_id", Value: "15b791"},
		{Key: "new_visit", Value: "1"}, {Key: "urlref", Value: "https://duckduckgo.com/?q=website+tracking+software"},
		{Key: "lang", Value: "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"}, {Key: "res", Value: "1280x720"},
		{Key: "fla", Value: "0"}, {Key: "java", Value: "0"}, {Key: "qt", Value: "1"}, {Key: "realp", Value: "0"}, {Key: "pdf", Value: "1"}, {Key: "wma", Value: "0"}, {Key: "ag", Value: "0"}, {Key: "cookie", Value: "1"},
		{Key: "send_image", Value: "0"},
	}
	if v.Source != Search || !slices.Equal(v.Hits[0].Params, want) {
		t.Errorf("source %v, first hit\n got %v\nwant %v", v.Source, v.Hits[0].Params, want)
	}
}
