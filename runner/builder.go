package runner

import (
	"net/url"
	"time"

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
func Encode(v *visit.Visit, bulk bool) exec.Job {
	job := exec.Job{UserAgent: v.UserAgent, Hits: make([]exec.JobHit, len(v.Hits))}
	ua := ""
	if bulk {
		ua = "&ua=" + url.QueryEscape(v.UserAgent)
	}
	for i, h := range v.Hits {
		job.Hits[i] = exec.JobHit{Query: h.Params.Encode() + ua, Kind: h.Kind, Pause: h.Pause}
	}
	return job
}
