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

// mobileES is the fingerprint of visit 191: an iPhone, Spanish, no PDF.
var mobileES = []Param{
	{"lang", "es-ES,es;q=0.9"}, {"res", "430x932"},
	{"fla", "0"}, {"java", "0"}, {"qt", "0"}, {"realp", "0"}, {"pdf", "0"}, {"wma", "0"}, {"ag", "0"}, {"cookie", "1"},
}

func params(parts ...[]Param) Params { return Params(slices.Concat(parts...)) }

func TestHitParamsExact(t *testing.T) {
	v := Generate(busyConfig(), 42, 191)
	v.StampEnd(goldenEnd)
	const (
		page0 = "https://example.test/support/documentation/documentation-251"
		page1 = "https://example.test/blog/tutorials/tutorials-418"
		page2 = "https://example.test/community/showcase/showcase-133"
		vid   = "96ae433cf2dc7d55"
		cip   = "1.80.186.11"
	)
	want := []struct {
		kind   Kind
		page   int
		params Params
	}{
		{Pageview, 0, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page0},
			{"action_name", "Support | Documentation | Page 251"}, {"_id", vid}, {"rand", "1908934431"},
			{"cdt", "2025-03-01 11:57:03"}, {"pv_id", "ce1c4e"}, {"cip", cip}, {"new_visit", "1"},
		}, mobileES, []Param{{"send_image", "0"}})},
		{Pageview, 1, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page1},
			{"action_name", "Blog | Tutorials | Page 418"}, {"_id", vid}, {"rand", "1415884252"},
			{"cdt", "2025-03-01 11:57:38"}, {"pv_id", "91560e"}, {"cip", cip}, {"urlref", page0},
		}, mobileES, []Param{{"send_image", "0"}})},
		{Event, 1, params([]Param{ // a click event: no value
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page1},
			{"action_name", "Event: Tab Click - Product Features"}, {"_id", vid}, {"rand", "1880093736"},
			{"cdt", "2025-03-01 11:57:41"}, {"pv_id", "91560e"}, {"cip", cip}, {"urlref", page0},
		}, mobileES, []Param{
			{"e_c", "UI"}, {"e_a", "Tab Click"}, {"e_n", "Product Features"}, {"ca", "1"}, {"send_image", "0"},
		})},
		{Event, 1, params([]Param{ // a random event with e_v
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page1},
			{"action_name", "Event: Conversion - Goal Complete"}, {"_id", vid}, {"rand", "995520983"},
			{"cdt", "2025-03-01 11:58:20"}, {"pv_id", "91560e"}, {"cip", cip}, {"urlref", page0},
		}, mobileES, []Param{
			{"e_c", "Analytics"}, {"e_a", "Conversion"}, {"e_n", "Goal Complete"}, {"e_v", "50"}, {"ca", "1"}, {"send_image", "0"},
		})},
		{Download, 1, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page1},
			{"action_name", "Download: logo-pack.zip"}, {"_id", vid}, {"rand", "1276559935"},
			{"cdt", "2025-03-01 11:58:28"}, {"pv_id", "91560e"}, {"cip", cip}, {"urlref", page0},
		}, mobileES, []Param{
			{"download", "https://example.test/assets/logo-pack.zip"}, {"send_image", "0"},
		})},
		{Outlink, 1, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page1},
			{"action_name", "Outlink: https://instagram.com"}, {"_id", vid}, {"rand", "1921821700"},
			{"cdt", "2025-03-01 11:58:33"}, {"pv_id", "91560e"}, {"cip", cip}, {"urlref", page0},
		}, mobileES, []Param{{"link", "https://instagram.com"}, {"send_image", "0"}})},
		{Pageview, 2, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page2},
			{"action_name", "Community | Showcase | Page 133"}, {"_id", vid}, {"rand", "871314710"},
			{"cdt", "2025-03-01 11:58:46"}, {"pv_id", "de5174"}, {"cip", cip}, {"urlref", page1},
		}, mobileES, []Param{{"send_image", "0"}})},
		{SiteSearch, 2, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page2},
			{"action_name", "Search: guide"}, {"_id", vid}, {"rand", "364606329"},
			{"cdt", "2025-03-01 11:59:28"}, {"pv_id", "de5174"}, {"cip", cip}, {"urlref", page1},
		}, mobileES, []Param{
			{"search", "guide"}, {"search_cat", "Support"}, {"search_count", "12"}, {"send_image", "0"},
		})},
		{Order, 2, params([]Param{
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page2},
			{"action_name", "Ecommerce Order: run1-5b (USD 199.91)"}, {"_id", vid}, {"rand", "347112297"},
			{"cdt", "2025-03-01 11:59:28"}, {"pv_id", "de5174"}, {"cip", cip}, {"urlref", page1},
		}, mobileES, []Param{
			{"idgoal", "0"}, {"ec_id", "run1-5b"},
			{"ec_items", `[["SPORT-002","Dumbbells Set","Sports",90.87,2]]`},
			{"revenue", "199.91"}, {"ec_st", "181.74"}, {"ec_tx", "18.17"}, {"ec_sh", "0.00"},
			{"ec_currency", "USD"}, {"send_image", "0"},
		})},
		{Ping, 2, params([]Param{ // the last pageview's pv_id, a rand, no action_name, no urlref, no ca
			{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", page2},
			{"_id", vid}, {"rand", "1421461203"},
			{"cdt", "2025-03-01 12:00:00"}, {"pv_id", "de5174"}, {"cip", cip},
		}, mobileES, []Param{{"ping", "1"}, {"send_image", "0"}})},
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
		{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"},
		{"url", "https://example.test/solutions/education/education-350"},
		{"action_name", "Solutions | Education | Page 350"},
		{"_id", "c25f8189afa8cc04"}, {"rand", "453636232"},
		{"cdt", "2025-03-01 11:54:43"}, // 12:00:00 − 5m16.731s
		{"pv_id", "15b791"},
		{"new_visit", "1"}, {"urlref", "https://duckduckgo.com/?q=website+tracking+software"},
		{"lang", "de-AT,de;q=0.9,en;q=0.8"}, {"res", "375x812"},
		{"fla", "0"}, {"java", "0"}, {"qt", "0"}, {"realp", "0"}, {"pdf", "0"}, {"wma", "0"}, {"ag", "0"}, {"cookie", "1"},
		{"send_image", "0"},
	}
	if v.Source != Search || !slices.Equal(v.Hits[0].Params, want) {
		t.Errorf("source %v, first hit\n got %v\nwant %v", v.Source, v.Hits[0].Params, want)
	}
}
