package runner

import (
	"net/url"
	"time"
	"unsafe"

	"github.com/trafficinator/trafficinator/runner/catalog"
	"github.com/trafficinator/trafficinator/runner/exec"
	"github.com/trafficinator/trafficinator/runner/plan"
	"github.com/trafficinator/trafficinator/runner/visit"
)

// loadPages reads the plan's URL source once for all targets; nil means the
// built-in site map.
func loadPages(p *plan.Plan) ([]catalog.Page, error) {
	switch u := p.Traffic.URLs; {
	case u.File != "":
		return catalog.LoadURLFile(u.File)
	case len(u.List) > 0:
		return catalog.PagesFromList(u.List, "traffic.urls.list")
	}
	return nil, nil
}

// newBuilder returns the function that turns a visit index into the job
// the executor sends: generate (from the visit's own random stream), place
// it so that its last hit is at the moment it starts (every cdt in the past),
// and encode.
func newBuilder(p *plan.Plan, t *plan.Target, cfg *visit.Config) func(uint64, time.Time) exec.Job {
	bulk := t.Bulk > 0
	seed := p.Seed
	return func(n uint64, start time.Time) exec.Job {
		v := visit.Generate(cfg, seed, n)
		v.StampEnd(start)
		return Encode(v, bulk)
	}
}

// Encode turns a placed visit into encoded hits. In a bulk request all
// entries share one User-Agent header, so each entry carries its visitor's
// user agent as the ua parameter instead.
//
// All the queries are written into one buffer and converted to one
// string that they slice: one allocation for all the queries of a visit
// (the buffer is never written again, so the string shares it).
func Encode(v *visit.Visit, bulk bool) exec.Job {
	job := exec.Job{UserAgent: v.UserAgent, Hits: make([]exec.JobHit, len(v.Hits)), Funnel: v.Funnel, FunnelSteps: v.FunnelSteps}
	ua := ""
	if bulk {
		ua = "&ua=" + url.QueryEscape(v.UserAgent)
	}
	buf := make([]byte, 0, len(v.Hits)*(encodedHitSize+len(ua)))
	ends := make([]int, len(v.Hits))
	for i, h := range v.Hits {
		buf = h.Params.AppendEncoded(buf)
		buf = append(buf, ua...)
		ends[i] = len(buf)
	}
	all, start := unsafe.String(unsafe.SliceData(buf), len(buf)), 0
	for i, h := range v.Hits {
		job.Hits[i] = exec.JobHit{Query: all[start:ends[i]], Kind: h.Kind, Pause: h.Pause, Step: h.Step}
		start = ends[i]
	}
	return job
}

// encodedHitSize is about the size of an encoded hit of the built-in site
// (300 to 500 bytes, ecommerce hits up to 900); a bigger visit costs one
// more growth of the buffer.
const encodedHitSize = 512

// hitCounter returns the number of hits of visit n without placing or
// encoding it: all that a dropped visit needs (visit.CountHits: half the
// time of Generate and a fifth of its memory).
func hitCounter(p *plan.Plan, cfg *visit.Config) func(uint64) int {
	seed := p.Seed
	return func(n uint64) int { return visit.CountHits(cfg, seed, n) }
}
