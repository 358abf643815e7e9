package visit

// ExpectedHits returns the expected number of hits per visit of each kind,
// computed from cfg: the mean page count for pageviews, one ping, and for
// each action its probability times the chance that the visit has at least
// two pages (actions never go on the first page). The runner uses it to
// size plans; the tests hold it against a simulation.
func ExpectedHits(cfg *Config) map[Kind]float64 {
	lo := max(cfg.PageviewsMin, 1)
	hi := max(cfg.PageviewsMax, lo)
	span := float64(hi - lo + 1)
	multi := float64(hi-max(lo, 2)+1) / span // P(pages ≥ 2)
	if hi < 2 {
		multi = 0
	}
	order := 0.0
	if cfg.Ecommerce != nil {
		order = cfg.Ecommerce.Probability
	}
	return map[Kind]float64{
		Pageview:   float64(lo+hi) / 2,
		SiteSearch: cfg.SiteSearch * multi,
		Outlink:    cfg.Outlinks * multi,
		Download:   cfg.Downloads * multi,
		Event:      (cfg.ClickEvents + cfg.RandomEvents) * multi,
		Order:      order * multi,
		Ping:       1,
	}
}
