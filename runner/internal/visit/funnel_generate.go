package visit

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

// planned is one hit of a funnel visit before it is built: an action (a
// pageview too), the url it is sent with ("" for its page's) and its
// funnel step (0 for random browsing).
type planned struct {
	action
	url  string
	step int
}

// generateFunnel makes visit index as a visit of funnel f. The visitor,
// source and geo are drawn as for a random visit; then the steps, in
// order; then, unless f exits after completion, random browsing within the
// same visit. The ping closes the visit either way.
func generateFunnel(cfg *Config, f *Funnel, seed, index uint64, ret *returnInfo) *Visit {
	r := newRand(seed, index)
	v := &Visit{Index: index, Funnel: f.Name, FunnelSteps: len(f.Steps)}
	pages := cfg.Pages
	if len(pages) == 0 {
		pages = catalog.Builtin()
	}
	v.drawVisitor(r)
	v.drawSource(cfg, r)
	v.drawGeo(cfg, r)
	v.drawIdentity(cfg, seed, index, ret)
	hits := v.planSteps(cfg, f, pages, r)
	v.landCampaign()
	if !f.ExitAfterCompletion {
		hits = v.browseOn(cfg, pages, hits, r)
	}
	v.emitPlanned(cfg, hits, r)
	v.place = r.Float64()
	return v
}

// planSteps plans the hits of the steps. Step i is at the sum of the
// delays of steps 2..i (a delay is the time before its step; the visit
// starts with its first hit). A pageview step views a new page with a
// fresh pv_id; any other step is an action on the page of the last
// pageview step, with its pv_id. Visit.Duration ends at the last step,
// plus the funnel's end delay.
func (v *Visit) planSteps(cfg *Config, f *Funnel, pages []catalog.Page, r *rand.Rand) []planned {
	origin := pages[0].URL
	// Room for (typical) browsing after the steps too, to allocate once.
	views, more := 0, 0
	for i := range f.Steps {
		if i == 0 || f.Steps[i].Kind == Pageview {
			views++
		}
	}
	if !f.ExitAfterCompletion {
		more = min(max(cfg.PageviewsMax, 1), 16)
	}
	v.Pages = make([]PageView, 0, views+more)
	out := make([]planned, 0, len(f.Steps)+more+numWants)
	var off time.Duration
	prevURL := ""
	for i := range f.Steps {
		s := &f.Steps[i]
		if i > 0 {
			off += between(r, s.DelayMin, s.DelayMax)
		}
		p := planned{action: action{kind: s.Kind, offset: off}, step: i + 1}
		if i == 0 || p.kind > Order {
			p.kind = Pageview // Check rejects both; a visit needs a page first
		}
		switch {
		case s.URL != "":
			p.url = resolve(origin, s.URL)
		case i == 0:
			p.url = pages[r.IntN(len(pages))].URL
		default:
			p.url = prevURL // a step without url stays on the previous step's page
		}
		prevURL = p.url
		switch p.kind {
		case Pageview:
			p.name = s.ActionName
			if p.name == "" {
				p.name = "Funnel: " + f.Name + " (" + strconv.Itoa(i+1) + "/" + strconv.Itoa(len(f.Steps)) + ")"
			}
			v.Pages = append(v.Pages, PageView{URL: p.url, Title: p.name, PvID: v.newPvID(len(v.Pages), r)})
		case Event:
			stepEvent(&p, s)
		case SiteSearch:
			stepSearch(&p, s, r)
		case Outlink:
			p.name = "Funnel Outlink: " + s.Target
			p.params = []Param{{Key: "link", Value: s.Target}}
		case Download:
			p.name = "Funnel Download: " + lastSegment(s.Target)
			p.params = []Param{{Key: "download", Value: resolve(p.url, s.Target)}}
		case Order:
			o := newOrder(s.orderModel(cfg), cfg.RunID, v.Index, r)
			v.addOrder(o, cfg.RunID)
			orderAction(&p.action, o)
			p.name = "Funnel Order: " + o.ID
		}
		if s.ActionName != "" {
			p.name = s.ActionName
		}
		p.page = len(v.Pages) - 1
		out = append(out, p)
	}
	if f.EndDelayMax > 0 {
		// Drawn only when set, so that funnels without one keep their
		// random streams (and their visits) as before.
		off += between(r, f.EndDelayMin, f.EndDelayMax)
	}
	v.Duration = off
	return out
}

func stepEvent(p *planned, s *Step) {
	p.name = "Funnel Event: " + s.Action
	p.params = append(make([]Param, 0, 5), Param{Key: "e_c", Value: s.Category}, Param{Key: "e_a", Value: s.Action})
	if s.Name != "" {
		p.params = append(p.params, Param{Key: "e_n", Value: s.Name})
	}
	if s.Value != nil {
		p.params = append(p.params, Param{Key: "e_v", Value: strconv.FormatFloat(*s.Value, 'f', -1, 64)})
	}
	p.params = append(p.params, Param{Key: "ca", Value: "1"}) // as random events: see eventAction
}

func stepSearch(p *planned, s *Step, r *rand.Rand) {
	p.name = "Funnel Search: " + s.Keyword
	p.params = append(make([]Param, 0, 3), Param{Key: "search", Value: s.Keyword})
	if s.SearchCategory != "" {
		p.params = append(p.params, Param{Key: "search_cat", Value: s.SearchCategory})
	}
	n := 0
	if s.Results != nil {
		n = max(*s.Results, 0)
	} else {
		n = r.IntN(maxSearchCount + 1)
	}
	p.params = append(p.params, Param{Key: "search_count", Value: strconv.Itoa(n)})
}

// browseOn appends random browsing to a funnel visit, in the same visit:
// PageviewsMin..PageviewsMax more pages drawn as for a random visit, with
// the usual action and order draws placed on those pages (any of them: the
// visit's first page is the funnel's). The simulated time
// DurationMin..DurationMax after the last step is split, with the same
// weights as a random visit's, over the rest of the last funnel page and
// the new pages; the ping is at its end.
func (v *Visit) browseOn(cfg *Config, pages []catalog.Page, out []planned, r *rand.Rand) []planned {
	lo := max(cfg.PageviewsMin, 1)
	m := lo + r.IntN(max(cfg.PageviewsMax, lo)-lo+1)
	wants := drawWants(cfg, r)
	first := len(v.Pages)
	v.drawPages(pages, m, r)
	n := len(v.Pages)

	funnelEnd := v.Duration
	d := between(r, cfg.DurationMin, cfg.DurationMax)
	w := make([]float64, m+1) // w[0]: the rest of the last funnel page
	total := 0.0
	for k := range w {
		w[k] = 0.5 + r.Float64()
		total += w[k]
	}
	starts := make([]time.Duration, n+1) // only first..n are used
	sum := 0.0
	for k := first; k < n; k++ {
		sum += w[k-first]
		starts[k] = funnelEnd + time.Duration(float64(d)*sum/total)
	}
	v.Duration = funnelEnd + d
	starts[n] = v.Duration

	acts := planActions(cfg, v, first, wants, starts, r)
	next := 0
	for k := first; k < n; k++ {
		out = append(out, planned{action: action{kind: Pageview, page: k, offset: starts[k], name: pageName(&v.Pages[k])}})
		for ; next < len(acts) && acts[next].page == k; next++ {
			out = append(out, planned{action: acts[next]})
		}
	}
	return out
}

// emitPlanned builds the planned hits, then the ping.
func (v *Visit) emitPlanned(cfg *Config, hits []planned, r *rand.Rand) {
	extra := 0
	for i := range hits {
		extra += len(hits[i].params)
		if i > 0 && hits[i].page == 0 && v.Referrer == "" {
			extra-- // paramCountN counts a urlref these hits do not have
		}
	}
	e := v.newEmitter(cfg, len(hits)+1, extra, r)
	for i := range hits {
		h := &hits[i]
		e.add(Hit{Kind: h.kind, Page: h.page, Offset: h.offset, Step: h.step}, h.url, h.name, h.params)
	}
	e.finish()
}
