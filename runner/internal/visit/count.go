package visit

// CountHits returns len(Generate(cfg, seed, index).Hits) without building
// the hits: a visit dropped by the concurrency cap only needs its count,
// and an overloaded engine should not spend its CPU writing parameters of
// visits it will never send. It makes Generate's draws up to the actions,
// so the count is exact (TestCountHitsMatchesGenerate).
func CountHits(cfg *Config, seed, index uint64) int {
	if f := pickFunnel(cfg.Funnels, seed, index); f != nil && len(f.Steps) > 0 {
		return len(generateFunnel(cfg, f, seed, index, nil).Hits)
	}
	v, _, acts, _ := drawRandomVisit(cfg, seed, index, nil)
	return len(v.Pages) + len(acts) + 1 // pageviews, actions and the ping
}
