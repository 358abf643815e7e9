package visit

import (
	"math/rand/v2"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/targets"
)

// Generate makes visit index of a run. All its randomness comes from its
// own stream, seeded by (seed, index), so the visit is the same whatever
// order or goroutine generates it. cfg should pass Check; out-of-range
// values are clamped rather than trusted.
//
// With Config.Returning, a visit that returns as an earlier visitor is made
// again with that visitor's identity (Returning.resolve).
func Generate(cfg *Config, seed, index uint64) *Visit {
	v := generate(cfg, seed, index, nil)
	if ret, ok := cfg.Returning.resolve(cfg, seed, index, v); ok {
		v.Release()
		v = generate(cfg, seed, index, &ret)
	}
	return v
}

// generate makes visit index as a new visitor (ret nil) or as the
// returning visitor ret.
func generate(cfg *Config, seed, index uint64, ret *returnInfo) *Visit {
	if f := pickFunnel(cfg.Funnels, seed, index); f != nil && len(f.Steps) > 0 {
		return generateFunnel(cfg, f, seed, index, ret)
	}
	v, r, acts, starts := drawRandomVisit(cfg, seed, index, ret)
	v.buildHits(cfg, acts, starts, r)
	v.place = r.Float64()
	return v
}

// drawRandomVisit makes every draw of a random visit up to its actions;
// Generate then builds the hits, CountHits only counts them.
func drawRandomVisit(cfg *Config, seed, index uint64, ret *returnInfo) (*Visit, *rand.Rand, []action, []time.Duration) {
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
	v.drawIdentity(cfg, seed, index, ret)
	wants := drawWants(cfg, r)
	v.drawPages(pages, n, r)
	starts := v.drawTimeline(cfg, n, r)
	acts := planActions(cfg, v, 1, wants, starts, r)
	return v, r, acts, starts
}

// drawVisitor draws the visitor id and the fingerprint: user agent,
// language, screen and browser features.
func (v *Visit) drawVisitor(r *rand.Rand) {
	v.VisitorID = hex16(r.Uint64())
	ua := catalog.UserAgents().Pick(r)
	v.UserAgent, v.Device = ua.String, ua.Device
	v.Lang = catalog.Languages().Pick(r)
	v.Res = catalog.Resolutions(ua.Device).Pick(r)
	odds := &pluginOdds[0]
	if ua.Device != catalog.Desktop {
		odds = &pluginOdds[1]
	}
	for i, p := range odds {
		if r.Float64() < p {
			v.Plugins |= 1 << i
		}
	}
}

// drawSource picks the referrer of the visit, once: search, social and
// referral by their shares, direct for the rest.
func (v *Visit) drawSource(cfg *Config, r *rand.Rand) {
	refs := catalog.LegacyReferrers()
	var list []string
	switch x := r.Float64(); {
	case x < cfg.Search:
		v.Source, list = Search, refs.Search
	case x < cfg.Search+cfg.Social:
		v.Source, list = Social, refs.Social
	case x < cfg.Search+cfg.Social+cfg.Referral:
		v.Source, list = Referral, refs.Referral
	default:
		v.Source = Direct
		return
	}
	v.Referrer = list[r.IntN(len(list))]
}

// drawGeo picks a country by the mix (the default table when nil) and an
// address of it.
func (v *Visit) drawGeo(mix []CountryShare, r *rand.Rand) {
	if mix == nil {
		v.Country = targets.RandomCountry(r)
	} else {
		v.Country = pickCountry(mix, r)
	}
	v.IP = targets.RandomIP(v.Country, r) // the zero Addr (no cip) for an unknown code
}

func pickCountry(mix []CountryShare, r *rand.Rand) string {
	total := 0.0
	for _, c := range mix {
		total += max(c.Share, 0)
	}
	x := r.Float64() * total
	last := ""
	for _, c := range mix {
		if c.Share <= 0 {
			continue
		}
		last = c.Code
		if x -= c.Share; x < 0 {
			return c.Code
		}
	}
	return last // rounding at the top, or an all-zero mix
}

// Wanted actions, in draw order.
const (
	wantSearch = iota
	wantOutlink
	wantDownload
	wantClick
	wantRandom
	wantOrder
	numWants
)

// drawWants makes the independent per-visit draws of the actions, in the
// legacy order; ecommerce draws only when it is on.
func drawWants(cfg *Config, r *rand.Rand) (w [numWants]bool) {
	for i, p := range [...]float64{cfg.SiteSearch, cfg.Outlinks, cfg.Downloads, cfg.ClickEvents, cfg.RandomEvents} {
		w[i] = r.Float64() < p
	}
	if cfg.Ecommerce != nil {
		w[wantOrder] = r.Float64() < cfg.Ecommerce.Probability
	}
	return w
}

// drawPages appends n pages picked uniformly (repeats allowed, as in the
// legacy tool) and gives each a pv_id that is distinct within the visit.
func (v *Visit) drawPages(pages []catalog.Page, n int, r *rand.Rand) {
	if v.Pages == nil {
		v.Pages = make([]PageView, 0, n)
	}
	for range n {
		p := pages[r.IntN(len(pages))]
		v.Pages = append(v.Pages, PageView{URL: p.URL, Title: p.Title, PvID: v.newPvID(len(v.Pages), r)})
	}
}

// newPvID draws a pv_id that none of the first k pages has.
func (v *Visit) newPvID(k int, r *rand.Rand) string {
	for {
		id := hex6(r.Uint32() & 0xffffff)
		dup := false
		for j := range k {
			dup = dup || v.Pages[j].PvID == id
		}
		if !dup {
			return id
		}
	}
}

// drawTimeline draws the visit duration and splits it over the pages with
// weights uniform in [0.5, 1.5] (legacy). starts[k] is when page k is
// viewed; starts[n] is the end of the visit, when the ping is sent.
func (v *Visit) drawTimeline(cfg *Config, n int, r *rand.Rand) []time.Duration {
	v.Duration = between(r, cfg.DurationMin, cfg.DurationMax)
	w := make([]float64, n)
	total := 0.0
	for k := range w {
		w[k] = 0.5 + r.Float64()
		total += w[k]
	}
	starts := make([]time.Duration, n+1)
	sum := 0.0
	for k := 1; k < n; k++ {
		sum += w[k-1]
		starts[k] = time.Duration(float64(v.Duration) * sum / total)
	}
	starts[n] = v.Duration
	return starts
}

// pageName is the action_name of a pageview: the page title, or its path
// when the URL list gave no title.
func pageName(p *PageView) string {
	if p.Title != "" {
		return p.Title
	}
	if path := p.URL[len(catalog.Origin(p.URL)):]; path != "" {
		return path
	}
	return "/"
}

// between draws a duration uniformly in [lo, hi], negative bounds taken
// as 0; no draw when the range is a single value.
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	lo = max(lo, 0)
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)+1))
}
