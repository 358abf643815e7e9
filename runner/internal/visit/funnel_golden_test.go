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
		engine  = "https://search.yahoo.com/search?p=web+statistics"
		vid     = "fc757a5317000499"
		cip     = "5.9.28.104"
		pvFirst = "2ed8d3"
		pvCheck = "6f5d3f"
	)
	device := []Param{
		{"lang", "fr-CA,fr;q=0.9,en-CA;q=0.8,en;q=0.7"}, {"res", "390x844"},
		{"fla", "0"}, {"java", "0"}, {"qt", "0"}, {"realp", "0"}, {"pdf", "0"}, {"wma", "0"}, {"ag", "0"}, {"cookie", "1"},
	}
	// head is the start of a hit up to cip; ref its new_visit/urlref.
	head := func(url, name, rnd, cdt, pv string) []Param {
		h := []Param{{"idsite", "7"}, {"rec", "1"}, {"apiv", "1"}, {"url", url}}
		if name != "" {
			h = append(h, Param{"action_name", name})
		}
		return append(h, Param{"_id", vid}, Param{"rand", rnd}, Param{"cdt", cdt}, Param{"pv_id", pv}, Param{"cip", cip})
	}
	end := []Param{{"send_image", "0"}}
	want := []struct {
		kind       Kind
		page, step int
		params     Params
	}{
		{Pageview, 0, 1, params(head(page0, "Funnel: Checkout (1/7)", "1764529274", "2025-03-01 11:58:49", pvFirst),
			[]Param{{"new_visit", "1"}, {"urlref", engine}}, device, end)},
		{Event, 0, 2, params(head(page0, "Funnel Event: Add", "59166942", "2025-03-01 11:58:54", pvFirst),
			[]Param{{"urlref", engine}}, device,
			[]Param{{"e_c", "Cart"}, {"e_a", "Add"}, {"e_n", "Widget"}, {"e_v", "49"}, {"ca", "1"}}, end)},
		{SiteSearch, 0, 3, params(head(page0, "Funnel Search: warranty", "1595441100", "2025-03-01 11:59:04", pvFirst),
			[]Param{{"urlref", engine}}, device,
			[]Param{{"search", "warranty"}, {"search_cat", "Support"}, {"search_count", "3"}}, end)},
		{Pageview, 1, 4, params(head(page1, "Checkout", "1985229877", "2025-03-01 11:59:24", pvCheck),
			[]Param{{"urlref", page0}}, device, end)},
		{Outlink, 1, 5, params(head(page1, "Funnel Outlink: https://partner.example.com/", "1446348867", "2025-03-01 11:59:26", pvCheck),
			[]Param{{"urlref", page0}}, device, []Param{{"link", "https://partner.example.com/"}}, end)},
		{Download, 1, 6, params(head(page1, "Funnel Download: terms.pdf", "696868311", "2025-03-01 11:59:30", pvCheck),
			[]Param{{"urlref", page0}}, device, []Param{{"download", "https://example.test/files/terms.pdf"}}, end)},
		{Order, 1, 7, params(head(page1, "Funnel Order: run1-0", "1140535067", "2025-03-01 12:00:00", pvCheck),
			[]Param{{"urlref", page0}}, device, []Param{
				{"idgoal", "0"}, {"ec_id", "run1-0"}, {"ec_items", `[["SWEATER-001","Wool Sweater","Clothing",92.79,1]]`},
				{"revenue", "116.25"}, {"ec_st", "92.79"}, {"ec_tx", "18.56"}, {"ec_sh", "4.90"}, {"ec_currency", "EUR"},
			}, end)},
		{Ping, 1, 0, params(head(page1, "", "220944656", "2025-03-01 12:00:00", pvCheck), device, []Param{{"ping", "1"}}, end)},
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
