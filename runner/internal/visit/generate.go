package visit

import (
	"math/rand/v2"
	"net/url"
	"strings"
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
	v.drawGeo(cfg, r)
	v.drawIdentity(cfg, seed, index, ret)
	wants := drawWants(cfg, r)
	v.drawPages(pages, n, r)
	v.landCampaign()
	starts := v.drawTimeline(cfg, n, r)
	acts := planActions(cfg, v, 1, wants, starts, r)
	return v, r, acts, starts
}

// drawVisitor draws the visitor id and the fingerprint: user agent,
// screen and browser features (the language comes with the country, in
// drawGeo).
func (v *Visit) drawVisitor(r *rand.Rand) {
	v.VisitorID = hex16(r.Uint64())
	ua := catalog.UserAgents().Pick(r)
	v.UserAgent, v.Device = ua.String, ua.Device
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

// drawSource picks the source of the visit, once: search, social,
// referral and campaign by their shares, direct for the rest. A referrer
// comes from catalog.MatomoReferrers, where each URL is in the category
// Matomo's own lists give it; a campaign visit has no referrer, and its
// campaign goes in the landing URL (withCampaign).
func (v *Visit) drawSource(cfg *Config, r *rand.Rand) {
	refs := catalog.MatomoReferrers()
	var list []string
	switch x := r.Float64(); {
	case x < cfg.Search:
		v.Source, list = Search, refs.Search
	case x < cfg.Search+cfg.Social:
		v.Source, list = Social, refs.Social
	case x < cfg.Search+cfg.Social+cfg.Referral:
		v.Source, list = Referral, refs.Referral
	case x < cfg.Search+cfg.Social+cfg.Referral+cfg.Campaign:
		v.Source = Campaign
		c := catalog.Campaigns()
		v.Campaign = c[r.IntN(len(c))]
		return
	default:
		v.Source = Direct
		return
	}
	v.Referrer = list[r.IntN(len(list))]
}

// landCampaign puts a campaign visit's campaign in its landing page's
// URL, which every hit on that page sends as url and the second page as
// urlref, as a browser would.
func (v *Visit) landCampaign() {
	if len(v.Pages) > 0 {
		v.Pages[0].URL = v.withCampaign(v.Pages[0].URL)
	}
}

// withCampaign puts the visit's campaign in u, a URL of its landing page:
// Matomo reads mtm_campaign and mtm_kwd from the first hit's url.
func (v *Visit) withCampaign(u string) string {
	if v.Campaign.Name == "" || strings.Contains(u, "mtm_campaign=") {
		return u
	}
	frag := ""
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u, frag = u[:i], u[i:]
	}
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	q := "mtm_campaign=" + url.QueryEscape(v.Campaign.Name)
	if v.Campaign.Keyword != "" {
		q += "&mtm_kwd=" + url.QueryEscape(v.Campaign.Keyword)
	}
	return u + sep + q + frag
}

// drawGeo picks the visitor's country by the mix (the default table when
// nil), a language of that country (lang) and its main timezone (h, m, s);
// with geo, also an address of it (cip). Every visit has a country, so that
// its language and local time are plausible even when Matomo cannot be
// told its address.
func (v *Visit) drawGeo(cfg *Config, r *rand.Rand) {
	v.Country = pickCountry(cfg.Countries, r)
	if langs, ok := catalog.CountryLanguages(v.Country); ok {
		v.Lang = langs.Pick(r)
	} else {
		v.Lang = catalog.Languages().Pick(r) // a country without a list of its own
	}
	v.zone = targets.Zone(v.Country)
	if cfg.Geo {
		v.IP = targets.RandomIP(v.Country, r) // the zero Addr (no cip) for an unknown code
	}
}

// pickCountry draws a country by the mix. Shares that add up to less than
// 1 leave the rest to the default table, as the scenario documents; more
// than 1 is scaled down.
func pickCountry(mix []CountryShare, r *rand.Rand) string {
	if mix == nil {
		return targets.RandomCountry(r)
	}
	total := 0.0
	for _, c := range mix {
		total += max(c.Share, 0)
	}
	x := r.Float64()
	if total < 1 && x >= total {
		return targets.RandomCountry(r)
	}
	x *= max(total, 1)
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
