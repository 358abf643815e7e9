package visit

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// buildHits lays out the hits: for each page its pageview, then its action
// hits in time order; then the ping. Every hit carries, in this order:
//
//	idsite rec=1 apiv=1 url action_name _id [_idvc _viewts] rand cdt h m s pv_id [cip]
//	[new_visit=1] [urlref] lang res fla java qt realp pdf wma ag cookie
//	<action parameters> send_image=0
//
// new_visit=1 is on the first hit only, with urlref = the external
// referrer unless the visit is direct; later hits of page k have urlref =
// the URL of page k-1 (the external referrer again for page 0, which only
// funnel visits have actions on). The ping has no action_name and no
// urlref, carries the last page's pv_id and ping=1 as its action
// parameter, and never ca.
func (v *Visit) buildHits(cfg *Config, acts []action, starts []time.Duration, r *rand.Rand) {
	n := len(v.Pages)
	extra := 0
	for _, a := range acts {
		extra += len(a.params)
	}
	e := v.newEmitter(cfg, n+len(acts)+1, extra, r)
	next := 0
	for k := range v.Pages {
		e.add(Hit{Kind: Pageview, Page: k, Offset: starts[k]}, "", pageName(&v.Pages[k]), nil)
		for ; next < len(acts) && acts[next].page == k; next++ {
			a := &acts[next]
			e.add(Hit{Kind: a.kind, Page: k, Offset: a.offset}, "", a.name, a.params)
		}
	}
	e.finish()
}

// emitter appends the hits of a visit in send order, drawing each hit's
// pause and rand, into one parameter array for the whole visit.
type emitter struct {
	v      *Visit
	cfg    *Config
	r      *rand.Rand
	b      hitBuilder
	all    []Param
	bounds []int
}

// newEmitter prepares count hits whose action parameters number extra.
func (v *Visit) newEmitter(cfg *Config, count, extra int, r *rand.Rand) emitter {
	v.Hits = make([]Hit, 0, count)
	e := emitter{v: v, cfg: cfg, r: r, b: hitBuilder{v: v, site: strconv.Itoa(cfg.SiteID)}}
	if v.IP.IsValid() {
		e.b.cip = v.IP.String()
	}
	e.b.device = v.deviceParams()
	v.params = takeParams(e.b.paramCountN(count, extra))
	e.all = v.params.p
	e.bounds = make([]int, 0, count+1)
	e.bounds = append(e.bounds, 0)
	return e
}

// add appends hit h; url replaces its page's URL when not empty.
func (e *emitter) add(h Hit, url, name string, extra []Param) {
	if len(e.v.Hits) > 0 && h.Kind != Ping {
		h.Pause = between(e.r, e.cfg.PauseMin, e.cfg.PauseMax)
	}
	if url == "" {
		url = e.v.Pages[h.Page].URL
	} else if h.Page == 0 {
		url = e.v.withCampaign(url) // a funnel step's own URL on the landing page
	}
	e.all = e.b.appendHit(e.all, h, url, name, extra, e.r)
	e.bounds = append(e.bounds, len(e.all))
	e.v.Hits = append(e.v.Hits, h)
}

// finish appends the ping, on the last page at the end of the visit, and
// cuts the parameter array into the hits.
func (e *emitter) finish() {
	v := e.v
	e.add(Hit{Kind: Ping, Page: len(v.Pages) - 1, Offset: v.Duration}, "", "", pingParams)
	for i := range v.Hits {
		v.Hits[i].Params = Params(e.all[e.bounds[i]:e.bounds[i+1]:e.bounds[i+1]])
	}
	v.params.p = e.all // grown when the count was short
}

var pingParams = []Param{{Key: "ping", Value: "1"}}

// hitBuilder holds what every hit of a visit repeats.
type hitBuilder struct {
	v      *Visit
	site   string
	cip    string
	device [10]Param
}

// paramCount is the number of parameters appendHit makes for the visit's
// hits, to allocate them at once (a wrong count costs a reallocation, not
// correctness): the common ones; action_name on all but the ping;
// new_visit on the first hit and urlref on the others but the ping, plus
// urlref on the first with a referrer; cip with geo; the action
// parameters.
func (b *hitBuilder) paramCount(hits int, acts []action) int {
	extra := 0
	for _, a := range acts {
		extra += len(a.params)
	}
	return b.paramCountN(hits, extra)
}

// paramCountN is paramCount with the action parameters already counted.
func (b *hitBuilder) paramCountN(hits, extra int) int {
	const common = 4 + 7 + len(b.device) + 1 // idsite rec apiv url, _id rand cdt h m s pv_id, fingerprint, send_image
	c := hits*common + 2*(hits-1) + len(pingParams)
	if b.v.Referrer != "" {
		c++ // urlref on the first hit
	}
	if b.cip != "" {
		c += hits
	}
	if b.v.VisitCount > 1 {
		c += 2 * hits // _idvc, _viewts
	}
	return c + extra
}

func (b *hitBuilder) appendHit(all []Param, h Hit, url, name string, extra []Param, r *rand.Rand) []Param {
	v, k := b.v, h.Page
	all = append(all,
		Param{Key: "idsite", Value: b.site},
		Param{Key: "rec", Value: "1"},
		Param{Key: "apiv", Value: "1"},
		Param{Key: "url", Value: url},
	)
	if h.Kind != Ping {
		all = append(all, Param{Key: "action_name", Value: name})
	}
	all = append(all, Param{Key: "_id", Value: v.VisitorID})
	if v.VisitCount > 1 {
		all = append(all, Param{Key: "_idvc", Value: strconv.Itoa(v.VisitCount)}, Param{Key: "_viewts", Value: ""})
	}
	all = append(all,
		Param{Key: "rand", Value: strconv.FormatUint(uint64(r.Uint32()>>1), 10)},
		Param{Key: "cdt", Value: ""},
		Param{Key: "h", Value: ""}, // cdt, h, m and s are filled when the visit is placed
		Param{Key: "m", Value: ""},
		Param{Key: "s", Value: ""},
		Param{Key: "pv_id", Value: v.Pages[k].PvID},
	)
	if b.cip != "" {
		all = append(all, Param{Key: "cip", Value: b.cip})
	}
	switch {
	case len(v.Hits) == 0:
		all = append(all, Param{Key: "new_visit", Value: "1"})
		if v.Referrer != "" {
			all = append(all, Param{Key: "urlref", Value: v.Referrer})
		}
	case h.Kind != Ping && k > 0:
		all = append(all, Param{Key: "urlref", Value: v.Pages[k-1].URL})
	case h.Kind != Ping && v.Referrer != "":
		// An action on the first page (funnel visits only: random visits
		// have none there) has the urlref of that page's pageview.
		all = append(all, Param{Key: "urlref", Value: v.Referrer})
	}
	all = append(all, b.device[:]...)
	all = append(all, extra...)
	return append(all, Param{Key: "send_image", Value: "0"})
}

// deviceParams are the fingerprint parameters every hit repeats, so that
// Matomo computes the same configuration for all hits of the visit.
func (v *Visit) deviceParams() (p [10]Param) {
	p[0] = Param{Key: "lang", Value: v.Lang}
	p[1] = Param{Key: "res", Value: v.Res}
	for i, name := range PluginParams {
		val := "0"
		if v.Plugins.Has(i) {
			val = "1"
		}
		p[2+i] = Param{Key: name, Value: val}
	}
	return p
}
