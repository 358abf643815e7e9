package plan

import (
	"math"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/route"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// bulkRequests is the number of bulk requests that carry visits of sizes
// hits (in the order they start) at bulk hits per request and conc visits
// in flight, as the executor's batcher packs them: a visit sends its hits
// in groups of at most bulk, one group at a time (the next once the
// request carrying the previous was answered); a request takes groups in
// the order they come until the next one would not fit, or until every
// visit in flight waits on it. With conc 1 each group is a request of its
// own. Visits in flight interleave by timing too, which this model takes
// in arrival order: the count sent can differ by a few requests.
func bulkRequests(sizes []int, bulk, conc int) int64 {
	if bulk <= 0 {
		n := int64(0)
		for _, s := range sizes {
			n += int64(s)
		}
		return n
	}
	if conc <= 1 {
		n := int64(0)
		for _, s := range sizes {
			n += int64((s + bulk - 1) / bulk)
		}
		return n
	}
	type group struct{ visit, hits int }
	left := make([]int, len(sizes)) // hits of each visit not yet queued
	var queue, batch []group
	next, inflight, fill := 0, 0, 0
	requests := int64(0)
	enqueue := func(v int) {
		g := min(left[v], bulk)
		left[v] -= g
		queue = append(queue, group{v, g})
	}
	start := func() {
		for inflight < conc && next < len(sizes) {
			left[next] = sizes[next]
			inflight++
			enqueue(next)
			next++
		}
	}
	flush := func() {
		requests++
		done := batch
		batch, fill = batch[:0:0], 0
		for _, g := range done {
			if left[g.visit] > 0 {
				enqueue(g.visit)
			} else {
				inflight--
			}
		}
		start()
	}
	start()
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		if fill > 0 && fill+g.hits > bulk {
			flush()
		}
		batch = append(batch, g)
		fill += g.hits
		if fill >= bulk || len(queue) == 0 {
			flush()
		}
	}
	return requests
}

// bulkWaitPaced is how long a bulk batch of a backfill with an rps limit
// waits to fill: the executor's default (exec.Executor.BulkWait).
const bulkWaitPaced = 200 * time.Millisecond

// maxCountedVisits bounds the visits whose hits compileBackfillRequests
// counts one by one (about 5 µs each: 2.5 s at most); a larger backfill keeps the
// estimate from the mean hits per visit.
const maxCountedVisits = 500_000

// compileBackfillRequests sets the requests of the bulk targets of a
// backfill from its very visits: each day's visits routed as the run
// routes them, their hits counted, and packed into requests per target
// and day as bulkRequests says (the executor sends what is left of a day
// before the next starts).
func (p *Plan) compileBackfillRequests() {
	bf := p.Backfill
	if bf == nil || bf.Visits > maxCountedVisits {
		return
	}
	var idx []int // plan target of each enabled target, as the router numbers them
	var weights []float64
	var cfgs []*visit.Config
	bulk := false
	for i := range p.Targets {
		t := &p.Targets[i]
		if !t.Enabled {
			continue
		}
		cfg, err := p.VisitConfig(t, nil, "plan")
		if err != nil {
			return
		}
		idx, weights, cfgs = append(idx, i), append(weights, t.Weight), append(cfgs, cfg)
		bulk = bulk || t.Bulk > 0
	}
	if !bulk {
		return
	}
	r, err := route.New(p.Routing, weights, p.Seed)
	if err != nil {
		return
	}
	// Visits in flight at once: with an rps limit a batch waits
	// bulkWaitPaced for more hits, and gathers the visits that start
	// meanwhile (at least the one that opened it).
	conc := p.Concurrency
	if bf.RPS > 0 {
		conc = min(conc, max(1, int(math.Ceil(bf.RPS*bulkWaitPaced.Seconds()))))
	}
	requests := make([]int64, len(idx))
	sizes := make([][]int, len(idx))
	for _, day := range bf.Days {
		for k := range sizes {
			sizes[k] = sizes[k][:0]
		}
		for i := int64(0); i < day.Visits; i++ {
			k := r.Next()
			if p.Targets[idx[k]].Bulk > 0 {
				sizes[k] = append(sizes[k], visit.CountHits(cfgs[k], p.Seed, day.First+uint64(i)))
			}
		}
		for k, s := range sizes {
			requests[k] += bulkRequests(s, p.Targets[idx[k]].Bulk, conc)
		}
	}
	total := 0.0
	for k, i := range idx {
		t := &p.Targets[i]
		if t.Bulk > 0 {
			t.Expected.Requests = float64(requests[k])
		}
		total += t.Expected.Requests
	}
	p.Expected.Requests = total
}
