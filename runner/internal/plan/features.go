package plan

import (
	"slices"

	"github.com/trafficinator/trafficinator/scenario"
)

// Features are the effective per-visit features of one target: defaults,
// then traffic.features, then the target's own overrides.
type Features struct {
	SiteSearch   float64    `json:"site_search"`
	Outlinks     float64    `json:"outlinks"`
	Downloads    float64    `json:"downloads"`
	ClickEvents  float64    `json:"click_events"`
	RandomEvents float64    `json:"random_events"`
	Ecommerce    *Ecommerce `json:"ecommerce"` // nil: off
	Geo          bool       `json:"geo"`
	// GeoCountries overrides the default country mix (nil: default).
	GeoCountries map[string]float64 `json:"geo_countries,omitempty"`
}

// Ecommerce is the effective order model.
type Ecommerce struct {
	Probability float64   `json:"probability"`
	Currency    string    `json:"currency"`
	OrderMin    float64   `json:"order_min"`
	OrderMax    float64   `json:"order_max"`
	ItemsMin    int       `json:"items_min"`
	ItemsMax    int       `json:"items_max"`
	TaxRate     float64   `json:"tax_rate"`
	Shipping    []float64 `json:"shipping"`
}

func defaultFeatures() Features {
	return Features{
		SiteSearch: DefaultSiteSearch, Outlinks: DefaultOutlinks, Downloads: DefaultDownloads,
		ClickEvents: DefaultClickEvents, RandomEvents: DefaultRandomEvents,
		Ecommerce: defaultEcommerce(),
	}
}

func defaultEcommerce() *Ecommerce {
	return &Ecommerce{
		Probability: DefaultEcommerce, Currency: DefaultCurrency,
		OrderMin: DefaultOrderMin, OrderMax: DefaultOrderMax,
		ItemsMin: DefaultItemsMin, ItemsMax: DefaultItemsMax,
		TaxRate: DefaultTaxRate, Shipping: slices.Clone(DefaultShipping),
	}
}

// apply layers one features block over f: false turns a feature off, true
// turns it on (with the settings it had, or the defaults), and an object
// overrides the settings it names.
func (f *Features) apply(o *scenario.Features) {
	if o == nil {
		return
	}
	prob(&f.SiteSearch, o.SiteSearch, DefaultSiteSearch)
	prob(&f.Outlinks, o.Outlinks, DefaultOutlinks)
	prob(&f.Downloads, o.Downloads, DefaultDownloads)
	prob(&f.ClickEvents, o.ClickEvents, DefaultClickEvents)
	prob(&f.RandomEvents, o.RandomEvents, DefaultRandomEvents)
	if e := o.Ecommerce; e != nil {
		switch {
		case e.Enabled != nil && !*e.Enabled:
			f.Ecommerce = nil
		default:
			if f.Ecommerce == nil {
				f.Ecommerce = defaultEcommerce()
			} else {
				c := *f.Ecommerce
				c.Shipping = slices.Clone(c.Shipping)
				f.Ecommerce = &c
			}
			overrideEcommerce(f.Ecommerce, e)
		}
	}
	if g := o.Geo; g != nil {
		f.Geo = g.On()
		if len(g.Countries) > 0 {
			f.GeoCountries = g.Countries
		}
	}
}

func prob(dst *float64, f *scenario.Feature, def float64) {
	switch {
	case f == nil:
	case f.Enabled != nil && !*f.Enabled:
		*dst = 0
	case f.Probability != nil:
		*dst = *f.Probability
	case *dst == 0:
		*dst = def // "true" or {} on a feature that was off
	}
}

func overrideEcommerce(c *Ecommerce, e *scenario.EcommerceFeature) {
	if e.Probability != nil {
		c.Probability = *e.Probability
	}
	if e.Currency != "" {
		c.Currency = e.Currency
	}
	if e.OrderValue != nil {
		c.OrderMin, c.OrderMax = e.OrderValue.Min, e.OrderValue.Max
	}
	if e.Items != nil {
		c.ItemsMin, c.ItemsMax = e.Items.Min, e.Items.Max
	}
	if e.TaxRate != nil {
		c.TaxRate = *e.TaxRate
	}
	if e.Shipping != nil {
		c.Shipping = slices.Clone(e.Shipping)
	}
}
