package visit

import (
	"slices"
	"testing"
	"time"
)

// goldenFunnel has one step of each type, with fixed delays so that every
// cdt follows by hand.
func goldenFunnel() Funnel {
	sec := func(n int) (time.Duration, time.Duration) {
		return time.Duration(n) * time.Second, time.Duration(n) * time.Second
	}
	steps := []Step{
		{Kind: Pageview, URL: "/products/widget"},
		{Kind: Event, Category: "Cart", Action: "Add", Name: "Widget", Value: ptr(49.0)},
		{Kind: SiteSearch, Keyword: "warranty", SearchCategory: "Support", Results: ptr(3)},
		{Kind: Pageview, URL: "https://example.test/checkout", ActionName: "Checkout"},
		{Kind: Outlink, Target: "https://partner.example.com/"},
		{Kind: Download, Target: "/files/terms.pdf"},
		{Kind: Order, Order: &Ecommerce{Currency: "EUR", OrderMin: 40, OrderMax: 120, ItemsMin: 1, ItemsMax: 2, TaxRate: 0.2, Shipping: []float64{4.9}}},
	}
	for i, d := range []int{3, 5, 10, 20, 2, 4, 30} {
		steps[i].DelayMin, steps[i].DelayMax = sec(d)
	}
	return Funnel{Name: "Checkout", Probability: 1, ExitAfterCompletion: true, Steps: steps}
}

// TestFunnelParamsExact pins every hit of visit 0 of seed 42 following
// goldenFunnel. Values from the random stream (_id, rand, pv_id, cip,
// fingerprint, the order's item) pin the stream; the rest follows from the
// model and was checked by hand:
//   - offsets: the first step's delay (3s) has no effect; then 5s, 15s,
//     35s, 37s, 41s, 71s; the visit lasts 71s and the ping is at its end,
//     so cdt = 12:00:00 − 71s + offset = 11:58:49, 11:58:54, 11:59:04,
//     11:59:24, 11:59:26, 11:59:30, 12:00:00, 12:00:00;
//   - the path /products/widget resolves against the built-in site; the
//     event, the search (page 0) carry the first pv_id and, as actions on
//     the first page, the search engine as urlref; the outlink, download
//     and order carry the checkout's pv_id and urlref = the first page;
//   - default names: "Funnel: Checkout (1/7)", "Funnel Event: Add",
//     "Funnel Search: warranty", "Funnel Outlink: <target>", "Funnel
//     Download: terms.pdf", "Funnel Order: run1-0";
//   - e_v 49 is sent as "49"; search_count is the step's 3;
//   - the order follows the step's model: 92.79 × 1, 20 % tax = 18.558 →
//     18.56, shipping 4.90, revenue 92.79 + 18.56 + 4.90 = 116.25 (within
//     40…120), currency EUR; ec_id run1-0 is index 0 in base 36.
func TestFunnelParamsExact(t *testing.T) {
	cfg := defaultConfig()
	cfg.Funnels = []Funnel{goldenFunnel()}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	v := Generate(cfg, 42, 0)
	v.StampEnd(goldenEnd)
	const (
		page0   = "https://example.test/products/widget"
		page1   = "https://example.test/checkout"
		engine  = "https://www.bing.com/search?q=privacy+analytics"
		vid     = "b15358768bd124b2"
		cip     = "79.246.54.130" // in DE's 79.246.0.0/18
		pvFirst = "2ed8d3"
		pvCheck = "6f5d3f"
	)
	device := []Param{
		{Key: "lang", Value: "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"}, {Key: "res", Value: "430x932"},
		{Key: "fla", Value: "0"}, {Key: "java", Value: "0"}, {Key: "qt", Value: "0"}, {Key: "realp", Value: "0"}, {Key: "pdf", Value: "0"}, {Key: "wma", Value: "0"}, {Key: "ag", Value: "0"}, {Key: "cookie", Value: "1"},
	}
	// head is the start of a hit up to cip; ref its new_visit/urlref.
	// The visitor is in Germany: h, m, s are cdt + 1 hour (Europe/Berlin in
	// March): 12 h, or 13 h for the hits at 12:00:00 UTC.
	head := func(url, name, rnd, cdt, hour, m, s, pv string) []Param {
		h := []Param{{Key: "idsite", Value: "7"}, {Key: "rec", Value: "1"}, {Key: "apiv", Value: "1"}, {Key: "url", Value: url}}
		if name != "" {
			h = append(h, Param{Key: "action_name", Value: name})
		}
		return append(h, Param{Key: "_id", Value: vid}, Param{Key: "rand", Value: rnd}, Param{Key: "cdt", Value: cdt},
			Param{Key: "h", Value: hour}, Param{Key: "m", Value: m}, Param{Key: "s", Value: s},
			Param{Key: "pv_id", Value: pv}, Param{Key: "cip", Value: cip})
	}
	end := []Param{{Key: "send_image", Value: "0"}}
	want := []struct {
		kind       Kind
		page, step int
		params     Params
	}{
		{Pageview, 0, 1, params(head(page0, "Funnel: Checkout (1/7)", "1764529274", "2025-03-01 11:58:49", "12", "58", "49", pvFirst),
			[]Param{{Key: "new_visit", Value: "1"}, {Key: "urlref", Value: engine}}, device, end)},
		{Event, 0, 2, params(head(page0, "Funnel Event: Add", "59166942", "2025-03-01 11:58:54", "12", "58", "54", pvFirst),
			[]Param{{Key: "urlref", Value: engine}}, device,
			[]Param{{Key: "e_c", Value: "Cart"}, {Key: "e_a", Value: "Add"}, {Key: "e_n", Value: "Widget"}, {Key: "e_v", Value: "49"}, {Key: "ca", Value: "1"}}, end)},
		{SiteSearch, 0, 3, params(head(page0, "Funnel Search: warranty", "1595441100", "2025-03-01 11:59:04", "12", "59", "4", pvFirst),
			[]Param{{Key: "urlref", Value: engine}}, device,
			[]Param{{Key: "search", Value: "warranty"}, {Key: "search_cat", Value: "Support"}, {Key: "search_count", Value: "3"}}, end)},
		{Pageview, 1, 4, params(head(page1, "Checkout", "1985229877", "2025-03-01 11:59:24", "12", "59", "24", pvCheck),
			[]Param{{Key: "urlref", Value: page0}}, device, end)},
		{Outlink, 1, 5, params(head(page1, "Funnel Outlink: https://partner.example.com/", "1446348867", "2025-03-01 11:59:26", "12", "59", "26", pvCheck),
			[]Param{{Key: "urlref", Value: page0}}, device, []Param{{Key: "link", Value: "https://partner.example.com/"}}, end)},
		{Download, 1, 6, params(head(page1, "Funnel Download: terms.pdf", "696868311", "2025-03-01 11:59:30", "12", "59", "30", pvCheck),
			[]Param{{Key: "urlref", Value: page0}}, device, []Param{{Key: "download", Value: "https://example.test/files/terms.pdf"}}, end)},
		{Order, 1, 7, params(head(page1, "Funnel Order: run1-0", "1140535067", "2025-03-01 12:00:00", "13", "0", "0", pvCheck),
			[]Param{{Key: "urlref", Value: page0}}, device, []Param{
				{Key: "idgoal", Value: "0"}, {Key: "ec_id", Value: "run1-0"}, {Key: "ec_items", Value: `[["SWEATER-001","Wool Sweater","Clothing",92.79,1]]`},
				{Key: "revenue", Value: "116.25"}, {Key: "ec_st", Value: "92.79"}, {Key: "ec_tx", Value: "18.56"}, {Key: "ec_sh", Value: "4.90"}, {Key: "ec_currency", Value: "EUR"},
			}, end)},
		{Ping, 1, 0, params(head(page1, "", "220944656", "2025-03-01 12:00:00", "13", "0", "0", pvCheck), device, []Param{{Key: "ping", Value: "1"}}, end)},
	}
	if len(v.Hits) != len(want) {
		t.Fatalf("%d hits, want %d", len(v.Hits), len(want))
	}
	for i, w := range want {
		h := v.Hits[i]
		if h.Kind != w.kind || h.Page != w.page || h.Step != w.step {
			t.Errorf("hit %d: %v on page %d step %d, want %v on page %d step %d", i, h.Kind, h.Page, h.Step, w.kind, w.page, w.step)
		}
		if !slices.Equal(h.Params, w.params) {
			t.Errorf("hit %d (%v):\n got %v\nwant %v", i, w.kind, h.Params, w.params)
		}
	}
	if v.Funnel != "Checkout" || v.FunnelSteps != 7 || v.Duration != 71*time.Second || v.Source != Search ||
		len(v.Orders) != 1 || v.Order != v.Orders[0] || v.Order.Revenue != 11625 {
		t.Errorf("visit: funnel %q, %d steps, duration %v, source %v, orders %v", v.Funnel, v.FunnelSteps, v.Duration, v.Source, v.Orders)
	}
}
