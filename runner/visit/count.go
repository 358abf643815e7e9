package visit

import "github.com/trafficinator/trafficinator/runner/catalog"

// CountHits returns len(Generate(cfg, seed, index).Hits) without building
// the hits: a visit dropped by the concurrency cap only needs its count,
// and an overloaded engine should not spend its CPU writing parameters of
// visits it will never send. It makes the same draws as Generate up to
// the actions, so the count is exact (TestCountHitsMatchesGenerate).
func CountHits(cfg *Config, seed, index uint64) int {
	if f := pickFunnel(cfg.Funnels, seed, index); f != nil && len(f.Steps) > 0 {
		return len(generateFunnel(cfg, f, seed, index).Hits)
	}
	r := newRand(seed, index)
	v := &Visit{Index: index}
	pages := cfg.Pages
	if len(pages) == 0 {
		pages = catalog.Builtin()
	}
	lo := max(cfg.PageviewsMin, 1)
	n := lo + r.IntN(max(cfg.PageviewsMax, lo)-lo+1)

	v.drawVisitor(r)
	v.drawSource(cfg, r)
	if cfg.Geo {
		v.drawGeo(cfg.Countries, r)
	}
	wants := drawWants(cfg, r)
	v.drawPages(pages, n, r)
	starts := v.drawTimeline(cfg, n, r)
	acts := planActions(cfg, v, 1, wants, starts, r)
	return n + len(acts) + 1 // pageviews, actions and the ping
}
