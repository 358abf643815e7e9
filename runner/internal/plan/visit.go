package plan

import (
	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// VisitConfig resolves the visit model of one target. pages are the pages
// of the plan's URL source (nil: the built-in site map, moved onto the
// target's site_url when it has one); runID starts every order id.
func (p *Plan) VisitConfig(t *Target, pages []catalog.Page, runID string) (*visit.Config, error) {
	tr := &p.Traffic
	f := &t.Features
	if pages == nil && t.SiteURL != "" {
		var err error
		if pages, err = catalog.Rebase(catalog.Builtin(), t.SiteURL.Reveal()); err != nil {
			return nil, err
		}
	}
	cfg := &visit.Config{
		SiteID: t.SiteID, Pages: pages,
		PageviewsMin: tr.PageviewsMin, PageviewsMax: tr.PageviewsMax,
		PauseMin: tr.PauseMin.D(), PauseMax: tr.PauseMax.D(),
		DurationMin: tr.DurationMin.D(), DurationMax: tr.DurationMax.D(),
		Direct: tr.Sources.Direct, Search: tr.Sources.Search, Social: tr.Sources.Social, Referral: tr.Sources.Referral,
		Campaign:   tr.Sources.Campaign,
		SiteSearch: f.SiteSearch, Outlinks: f.Outlinks, Downloads: f.Downloads,
		ClickEvents: f.ClickEvents, RandomEvents: f.RandomEvents,
		Geo: f.Geo, RunID: runID,
	}
	if len(f.GeoCountries) > 0 {
		cfg.Countries = visit.CountryShares(f.GeoCountries)
	}
	if e := f.Ecommerce; e != nil && e.Probability > 0 {
		cfg.Ecommerce = &visit.Ecommerce{
			Probability: e.Probability, Currency: e.Currency, OrderMin: e.OrderMin, OrderMax: e.OrderMax,
			ItemsMin: e.ItemsMin, ItemsMax: e.ItemsMax, TaxRate: e.TaxRate, Shipping: e.Shipping,
		}
	}
	cfg.Funnels = funnelModels(p.Traffic.Funnels, f.Ecommerce)
	cfg.Returning = p.returning()
	return cfg, cfg.Check()
}
