package visit

import (
	"time"
)

func ptr[T any](x T) *T { return &x }

// templateFunnels are the three funnel templates of the legacy UI
// (legacy-data/funnel-templates.json), as the plan resolves them: delays
// become durations, keys take the scenario names.
func templateFunnels() []Funnel {
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	return []Funnel{
		{Name: "Ecommerce Purchase", Probability: 0.35, Priority: 0, ExitAfterCompletion: true, Steps: []Step{
			{Kind: Pageview, URL: "https://store.example.com/", ActionName: "Landing Page", DelayMin: 0, DelayMax: sec(2)},
			{Kind: Event, URL: "https://store.example.com/", Category: "CTA", Action: "Click", Name: "Hero CTA", ActionName: "CTA Click", DelayMin: sec(1), DelayMax: sec(3)},
			{Kind: Pageview, URL: "https://store.example.com/product/widget", ActionName: "Product Detail", DelayMin: sec(2), DelayMax: sec(4)},
			{Kind: Event, URL: "https://store.example.com/product/widget", Category: "Product", Action: "AddToCart", Name: "Widget", ActionName: "Add to Cart", DelayMin: sec(1), DelayMax: sec(2)},
			{Kind: Pageview, URL: "https://store.example.com/checkout", ActionName: "Checkout", DelayMin: sec(1), DelayMax: sec(3)},
			{Kind: Order, URL: "https://store.example.com/order/complete", ActionName: "Order Complete", DelayMin: sec(1), DelayMax: sec(2)},
		}},
		{Name: "Lead Generation", Probability: 0.25, Priority: 1, ExitAfterCompletion: true, Steps: []Step{
			{Kind: Pageview, URL: "https://example.com/blog/marketing-trends", ActionName: "Blog Post", DelayMax: sec(2)},
			{Kind: Outlink, URL: "https://example.com/blog/marketing-trends", Target: "https://example.com/resources/marketing-guide.pdf", ActionName: "Download Guide", DelayMin: sec(1), DelayMax: sec(2)},
			{Kind: Pageview, URL: "https://example.com/resources/marketing-guide", ActionName: "Resource Landing", DelayMin: sec(2), DelayMax: sec(3)},
			{Kind: Event, URL: "https://example.com/resources/marketing-guide", Category: "Form", Action: "Submit", Name: "Lead Capture", ActionName: "Form Submission", DelayMin: sec(1), DelayMax: sec(2)},
		}},
		{Name: "Content Discovery", Probability: 0.40, Priority: 2, ExitAfterCompletion: false, Steps: []Step{
			{Kind: Pageview, URL: "https://example.com/", ActionName: "Homepage", DelayMax: sec(2)},
			{Kind: SiteSearch, URL: "https://example.com/", Keyword: "analytics", SearchCategory: "Resources", Results: ptr(12), ActionName: "Search: analytics", DelayMin: sec(1), DelayMax: sec(2)},
			{Kind: Pageview, URL: "https://example.com/blog/analytics-best-practices", ActionName: "Blog Article", DelayMin: sec(3), DelayMax: sec(6)},
			{Kind: Event, URL: "https://example.com/blog/analytics-best-practices", Category: "Engagement", Action: "ScrollDepth", Name: "75%", ActionName: "Scroll Depth", DelayMin: sec(1), DelayMax: sec(2)},
		}},
	}
}

// everyStepFunnel has each step type, with default names, paths, steps
// without url, a relative download, an action on the first page and two
// ecommerce steps (one with its own order model).
func everyStepFunnel() Funnel {
	return Funnel{Name: "every step", Probability: 1, ExitAfterCompletion: true, Steps: []Step{
		{Kind: Pageview, DelayMin: time.Second, DelayMax: time.Hour}, // a random page; the delay has no effect
		{Kind: Event, Category: "Video", Action: "Play", DelayMin: 2 * time.Second, DelayMax: 7 * time.Second},
		{Kind: Pageview, URL: "/products/widget", DelayMin: 10 * time.Second, DelayMax: 40 * time.Second},
		{Kind: Event, Category: "Cart", Action: "Add", Name: "Widget", Value: ptr(12.5), DelayMin: time.Second, DelayMax: time.Second},
		{Kind: SiteSearch, Keyword: "blue widget", DelayMax: 3 * time.Second},
		{Kind: SiteSearch, Keyword: "red widget", SearchCategory: "Products", Results: ptr(0), ActionName: "Searched again"},
		{Kind: Outlink, Target: "https://partner.example.org/offer?id=7"},
		{Kind: Download, Target: "files/widget manual.pdf"},
		{Kind: Download, URL: "https://cdn.example.net/x", Target: "https://cdn.example.net/sheet.zip"},
		{Kind: Download, Target: "/sheets/b.csv"},                              // on cdn.example.net, as the previous step
		{Kind: Pageview, DelayMin: 5 * time.Second, DelayMax: 5 * time.Second}, // the previous step's page again
		{Kind: Order, URL: "checkout/done", DelayMin: 3 * time.Second, DelayMax: 9 * time.Second},
		{Kind: Order, Order: &Ecommerce{Currency: "EUR", OrderMin: 40, OrderMax: 45, ItemsMin: 2, ItemsMax: 3, TaxRate: 0.2, Shipping: []float64{4.9}}},
	}}
}

// funnelConfig is the busy model with funnels fs.
func funnelConfig(fs ...Funnel) *Config {
	c := busyConfig()
	c.Funnels = fs
	return c
}
