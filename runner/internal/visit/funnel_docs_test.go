package visit

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

// docsConfig is the visit model the plan resolves for target "shop" of the
// scenario in docs/funnels.md: the plan defaults, geo on, ecommerce in EUR,
// the built-in site moved onto https://shop.example.com, run id "demo".
func docsConfig(t *testing.T) *Config {
	t.Helper()
	pages, err := catalog.Rebase(catalog.Builtin(), "https://shop.example.com")
	if err != nil {
		t.Fatal(err)
	}
	shop := Ecommerce{Probability: 0.05, Currency: "EUR", OrderMin: 15.99, OrderMax: 299.99,
		ItemsMin: 1, ItemsMax: 5, TaxRate: 0.10, Shipping: []float64{0, 5.99, 9.99, 15.99}}
	order := shop
	order.Probability, order.OrderMin, order.OrderMax, order.ItemsMin, order.ItemsMax = 1, 40, 120, 1, 2
	delay := func(s *Step, lo, hi time.Duration) Step { s.DelayMin, s.DelayMax = lo, hi; return *s }
	cfg := &Config{
		SiteID: 7, Pages: pages,
		PageviewsMin: 3, PageviewsMax: 6,
		PauseMin: 500 * time.Millisecond, PauseMax: 2 * time.Second,
		DurationMin: time.Minute, DurationMax: 8 * time.Minute,
		Direct: 0.30, Search: 0.35, Social: 0.15, Referral: 0.20,
		SiteSearch: 0.15, Outlinks: 0.10, Downloads: 0.08, ClickEvents: 0.25, RandomEvents: 0.12,
		Ecommerce: &shop, Geo: true, RunID: "demo",
		Funnels: []Funnel{
			{Name: "checkout", Probability: 0.10, Priority: 0, ExitAfterCompletion: true, Steps: []Step{
				{Kind: Pageview, URL: "/products/widget", ActionName: "Widget"},
				delay(&Step{Kind: Event, Category: "Cart", Action: "Add", Name: "Widget", Value: ptr(49.0)}, 5*time.Second, 20*time.Second),
				delay(&Step{Kind: Pageview, URL: "/checkout", ActionName: "Checkout"}, 10*time.Second, 40*time.Second),
				delay(&Step{Kind: Order, Order: &order}, 30*time.Second, 2*time.Minute),
			}},
			{Name: "newsletter", Probability: 0.05, Priority: 1, ExitAfterCompletion: false, Steps: []Step{
				{Kind: Pageview, URL: "/blog/launch"},
				delay(&Step{Kind: Event, Category: "Newsletter", Action: "Subscribe"}, 10*time.Second, 30*time.Second),
			}},
			{Name: "support", Probability: 0.20, Priority: 2, ExitAfterCompletion: true, Steps: []Step{
				{Kind: Pageview, URL: "/support"},
				delay(&Step{Kind: SiteSearch, Keyword: "reset password", SearchCategory: "Support", Results: ptr(4)}, 3*time.Second, 8*time.Second),
				delay(&Step{Kind: Download, Target: "/files/manual.pdf"}, 20*time.Second, time.Minute),
			}},
		},
	}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestFunnelDocsExample: the hits shown in docs/funnels.md are exactly
// what the engine generates for visit 0 of seed 42, and the shares shown
// are FunnelShares'.
func TestFunnelDocsExample(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/funnels.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "<!-- The block below is checked by TestFunnelDocsExample in runner/internal/visit. -->\n```text\n")
	block, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("docs/funnels.md: no checked block of hits")
	}
	cfg := docsConfig(t)
	v := Generate(cfg, 42, 0)
	v.StampEnd(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	var b strings.Builder
	for i, h := range v.Hits {
		fmt.Fprintf(&b, "# %d. %v, step %d, page %d, pause %v, offset %v\n", i+1, h.Kind, h.Step, h.Page+1, h.Pause, h.Offset)
		for _, kv := range h.Params {
			fmt.Fprintf(&b, "%s=%s\n", kv.Key, kv.Value)
		}
	}
	if got := b.String(); got != block {
		t.Errorf("docs/funnels.md shows other hits than visit 0 generates:\n%s", got)
	}
	if v.Funnel != "checkout" {
		t.Errorf("visit 0 follows %q", v.Funnel)
	}
	per, random := FunnelShares(cfg.Funnels)
	for i, want := range []string{"0.10", "0.045", "0.171"} {
		if got := fmt.Sprintf("%.*f", len(want)-2, per[i]); got != want {
			t.Errorf("share of %s: %s, docs say %s", cfg.Funnels[i].Name, got, want)
		}
	}
	if got := fmt.Sprintf("%.3f", random); got != "0.684" {
		t.Errorf("random share %s, docs say 0.684", got)
	}
}
