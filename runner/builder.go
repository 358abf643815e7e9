package runner

import (
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
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
// and encode. The visit's parameters are released once encoded, and its
// queries' buffer when the executor is done with the job: in a run without
// pauses, a visit's memory is otherwise about a third of what the
// garbage collector has to reclaim.
func newBuilder(p *plan.Plan, t *plan.Target, cfg *visit.Config) func(uint64, time.Time) exec.Job {
	bulk := t.Bulk > 0
	seed := p.Seed
	return func(n uint64, start time.Time) exec.Job {
		v := visit.Generate(cfg, seed, n)
		v.StampEnd(start)
		qb := queryBuffers.Get().(*queryBuffer)
		var job exec.Job
		job, qb.b = encodeInto(v, bulk, qb.b[:0])
		job.Release = qb.release
		v.Release()
		return job
	}
}

// queryBuffer holds the encoded queries of a visit in flight.
type queryBuffer struct{ b []byte }

var queryBuffers = sync.Pool{New: func() any { return new(queryBuffer) }}

// maxPooledQueries bounds the buffers kept: an unusually long visit's
// buffer is left to the garbage collector.
const maxPooledQueries = 64 << 10

func (q *queryBuffer) release() {
	if cap(q.b) <= maxPooledQueries {
		queryBuffers.Put(q)
	}
}

// Encode turns a placed visit into encoded hits. In a bulk request all
// entries share one User-Agent header, so each entry carries its visitor's
// user agent as the ua parameter instead.
func Encode(v *visit.Visit, bulk bool) exec.Job {
	job, _ := encodeInto(v, bulk, nil)
	return job
}

// encodeInto is Encode writing the queries into buf (from its start),
// which it returns, grown if it had to. All the queries are written into
// the one buffer and sliced from a string that shares it: one allocation
// at most for all the queries of a visit. The buffer must not be written
// again while the job is in use.
func encodeInto(v *visit.Visit, bulk bool, buf []byte) (exec.Job, []byte) {
	job := exec.Job{UserAgent: v.UserAgent, Hits: make([]exec.JobHit, len(v.Hits)), Funnel: v.Funnel, FunnelSteps: v.FunnelSteps}
	ua := ""
	if bulk {
		ua = uaParam(v.UserAgent)
	}
	buf = slices.Grow(buf[:0], len(v.Hits)*(encodedHitSize+len(ua)))
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
	return job, buf
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

// uaParam is "&ua=" and the escaped agent, which bulk mode appends to every
// hit. Visitors draw their agents from a small pool, so the parameters are
// kept (up to maxUAParams of them) rather than escaped for every visit.
func uaParam(ua string) string {
	if p, ok := uaParams.Load(ua); ok {
		return p.(string)
	}
	p := "&ua=" + url.QueryEscape(ua)
	if uaParamCount.Load() < maxUAParams {
		if _, loaded := uaParams.LoadOrStore(ua, p); !loaded {
			uaParamCount.Add(1)
		}
	}
	return p
}

var (
	uaParams     sync.Map // agent -> "&ua=..."
	uaParamCount atomic.Int32
)

const maxUAParams = 4096
