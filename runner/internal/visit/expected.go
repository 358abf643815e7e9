package visit

// ExpectedHits returns the expected number of hits per visit of each kind,
// computed from cfg. A random visit has the mean page count of pageviews,
// one ping, and for each action its probability times the chance that the
// visit has at least two pages (actions never go on the first page). A
// funnel visit has one hit of its kind per step and one ping, plus, when it
// does not exit after completion, the pages and actions of random browsing
// (whose actions always find a page: the first page is the funnel's). The
// two mix by FunnelShares. The runner uses it to size plans; the tests hold
// it against a simulation.
func ExpectedHits(cfg *Config) map[Kind]float64 {
	lo := max(cfg.PageviewsMin, 1)
	hi := max(cfg.PageviewsMax, lo)
	span := float64(hi - lo + 1)
	multi := float64(hi-max(lo, 2)+1) / span // P(pages ≥ 2)
	if hi < 2 {
		multi = 0
	}
	pages := float64(lo+hi) / 2
	shares, random := FunnelShares(cfg.Funnels)
	out := map[Kind]float64{Pageview: 0, SiteSearch: 0, Outlink: 0, Download: 0, Event: 0, Order: 0, Ping: 1}
	addRandom := func(w, actions float64) {
		out[Pageview] += w * pages
		for k, p := range actionOdds(cfg) {
			out[k] += w * p * actions
		}
	}
	addRandom(random, multi)
	for i := range cfg.Funnels {
		f, w := &cfg.Funnels[i], shares[i]
		if len(f.Steps) == 0 {
			addRandom(w, multi) // Check rejects it; Generate makes a random visit
			continue
		}
		for j, s := range f.Steps {
			k := s.Kind
			if j == 0 || k > Order {
				k = Pageview // as generateFunnel does
			}
			out[k] += w
		}
		if !f.ExitAfterCompletion {
			addRandom(w, 1)
		}
	}
	return out
}

// actionOdds are the per-visit probabilities of the action kinds (both
// event draws count as Event).
func actionOdds(cfg *Config) map[Kind]float64 {
	order := 0.0
	if cfg.Ecommerce != nil {
		order = cfg.Ecommerce.Probability
	}
	return map[Kind]float64{
		SiteSearch: cfg.SiteSearch,
		Outlink:    cfg.Outlinks,
		Download:   cfg.Downloads,
		Event:      cfg.ClickEvents + cfg.RandomEvents,
		Order:      order,
	}
}
