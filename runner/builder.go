package runner

import (
	"slices"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
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
// and encode with the target's encoder. The visit's parameters are released
// once encoded, and the encoder's memory when the executor is done with
// the job. smp gives the job its LiveVisit when it may enter the sample.
func newBuilder(p *plan.Plan, cfg *visit.Config, enc kind.Encoder, smp sampler) func(uint64, time.Time) exec.Job {
	seed := p.Seed
	return func(n uint64, start time.Time) exec.Job {
		v := visit.Generate(cfg, seed, n)
		v.StampEnd(start)
		job := encodeJob(enc, v)
		smp.attach(&job, v, n)
		v.Release()
		return job
	}
}

// Encode turns a placed visit into the job of a Matomo target (bulk: one
// that sends bulk requests); tests compare it with what a sink records.
func Encode(v *visit.Visit, bulk bool) exec.Job {
	return encodeJob(targets.MatomoEncoder(bulk), v)
}

// encodeJob makes the job of a placed visit, its hits encoded by enc. The
// job's Release frees what the encoder holds.
func encodeJob(enc kind.Encoder, v *visit.Visit) exec.Job {
	job := exec.Job{UserAgent: v.UserAgent, Hits: make([]exec.JobHit, len(v.Hits)), Funnel: v.Funnel, FunnelSteps: v.FunnelSteps}
	ps := payloadSlices.Get().(*[]string)
	payloads := slices.Grow((*ps)[:0], len(v.Hits))[:len(v.Hits)]
	job.Release = enc.Encode(v, payloads)
	job.Facts = visitFacts(v)
	orders := int32(0)
	for i, h := range v.Hits {
		job.Hits[i] = exec.JobHit{Payload: payloads[i], Kind: h.Kind, Pause: h.Pause, Step: h.Step, At: v.Start.Add(h.Offset).Unix()}
		if h.Kind == visit.Order && int(orders) < len(job.Facts.Orders) {
			orders++
			job.Hits[i].Order = orders // the visit's orders are in send order
		}
	}
	clear(payloads) // the pool must not keep the encoder's memory alive
	*ps = payloads[:0]
	payloadSlices.Put(ps)
	return job
}

// payloadSlices lend encodeJob the slice an encoder writes into: the
// payloads are copied into the job's hits at once, and a visit costs no
// allocation for them.
var payloadSlices = sync.Pool{New: func() any { return new([]string) }}

// hitCounter returns the number of hits of visit n without placing or
// encoding it: all that a dropped visit needs (visit.CountHits: half the
// time of Generate and a fifth of its memory).
func hitCounter(p *plan.Plan, cfg *visit.Config) func(uint64) int {
	seed := p.Seed
	return func(n uint64) int { return visit.CountHits(cfg, seed, n) }
}
