package runner

import (
	"cmp"
	"math"
	"math/rand/v2"
	goruntime "runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/route"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// Bounds of a day's stream (dayStream).
const (
	// streamGroup is about how many visits one pass places: 16 bytes each
	// are kept until they are sent.
	streamGroup = 1 << 19
	// streamBatch is how many visits are generated and encoded at once;
	// at most three batches are held (one being generated, one ready, one
	// being sent), a few KiB a visit.
	streamBatch = 1024
)

// placed is a visit of a day once its start is known: all that is kept of
// it until it is generated again to be sent.
type placed struct {
	start  int64  // unix nanoseconds of its first hit
	offset uint32 // index − day.First (a day has fewer than plan.DayStride visits)
	target uint16
}

// dayStream produces a day's visits in the order of their first hit
// without holding the whole day, so that memory does not grow with
// visits_per_day: a day of millions of visits once took them all,
// generated and encoded, into memory before the first was sent.
//
// Placement draws each visit's hour from the curve with a stream of its
// own (placeVisit), and keeps it in that hour unless it is longer than
// the hour. So the day is cut into groups of consecutive hours of about
// streamGroup visits each. For each group, one pass over the day's
// indices (replaying the routing of the day from a clone of the router,
// and drawing each visit's hour, both cheap) picks the group's visits; they
// are generated and placed in parallel to learn their start, of which
// 16 bytes are kept, and sorted by it (stably: ties keep index order).
// Then they are generated again, in batches of streamBatch and in
// parallel, and handed to the sender in that order while the next batch
// is generated.
//
// The order is the old one, every visit of the day sorted by its first
// hit, for every visit that fits in its hour. A visit longer than its
// hour (or at the edge of the day or of now) may start in an earlier
// hour: it is sent with the hours it was drawn in, so it may come after
// visits of the previous hours that start later than it does. Each
// visit's hits are the same and carry the same cdt; only the send order
// of such visits differs, and Matomo orders a visitor's actions by cdt.
type dayStream struct {
	b        *backfill
	day      plan.Day
	skip     func(index uint64) bool // nothing left to send of the visit
	routes   route.Router            // the router as the day began
	notAfter time.Time
	group    int
	batch    int
	// stop ends the stream early: a pass of a big day takes seconds, and
	// a stop must not wait for it.
	stop <-chan struct{}

	// held counts visits generated and not yet handed to the sender;
	// heldPeak and placedPeak are the most held and the most placed at
	// once (TestWrong6BackfillDayOutOfMemory).
	held       atomic.Int64
	heldPeak   atomic.Int64
	placedPeak int
}

// newDayStream takes the day's routing: the target of visit i comes from
// the router in index order, skipped visits included, so that a resumed
// run sends every visit to the same target as the first one.
func (b *backfill) newDayStream(day plan.Day, skip func(uint64) bool, stop <-chan struct{}) *dayStream {
	s := &dayStream{b: b, day: day, skip: skip, routes: b.rt.router.Clone(), notAfter: time.Now(),
		group: streamGroup, batch: streamBatch, stop: stop}
	b.advanceRouter(day)
	return s
}

// each calls send with the day's visits in order until send returns false
// or the day is over.
func (s *dayStream) each(send func(job) bool) {
	for _, g := range s.groups() {
		recs := s.collect(g)
		if s.stopped() {
			return
		}
		if len(recs) <= s.batch {
			// Few enough to hold: generated once, not twice.
			jobs := s.generate(recs)
			slices.SortStableFunc(jobs, func(a, b job) int { return a.start.Compare(b.start) })
			if !s.sendJobs(jobs, send) {
				return
			}
			continue
		}
		recs = s.place(recs)
		if s.stopped() || !s.sendAll(recs, send) {
			return
		}
	}
}

func (s *dayStream) stopped() bool {
	select {
	case <-s.stop:
		return true
	default:
		return false
	}
}

// groups cuts the day's hours into runs of consecutive hours of about
// s.group visits each (by the curve's weights), as [first, last+1).
func (s *dayStream) groups() [][2]int {
	slots := s.day.Slots
	total := 0.0
	for _, sl := range slots {
		total += max(sl.Weight, 0)
	}
	var out [][2]int
	lo, acc := 0, 0.0
	for k, sl := range slots {
		n := 0.0
		if total > 0 {
			n = float64(s.day.Visits) * max(sl.Weight, 0) / total
		}
		if k > lo && acc+n > float64(s.group) {
			out = append(out, [2]int{lo, k})
			lo, acc = k, 0
		}
		acc += n
	}
	return append(out, [2]int{lo, len(slots)})
}

// collect lists the visits of the day whose hour is in g, in index order.
func (s *dayStream) collect(g [2]int) []placed {
	routes := s.routes.Clone()
	seed := s.b.rt.plan.Seed
	out := make([]placed, 0, s.expected(g))
	for i := int64(0); i < s.day.Visits; i++ {
		if i%4096 == 0 && s.stopped() {
			return nil
		}
		idx := s.day.First + uint64(i)
		ti := routes.Next()
		if ti < 0 || (s.skip != nil && s.skip(idx)) {
			continue
		}
		if k := pickSlotIndex(s.day.Slots, placeDraw(seed, idx)); k >= g[0] && k < g[1] {
			out = append(out, placed{offset: uint32(i), target: uint16(ti)})
		}
	}
	return out
}

// place generates and places recs in parallel to learn their starts, and
// sorts them by start. A visit that cannot be placed is left out (not
// sent, so its day stays incomplete and --resume retries it).
func (s *dayStream) place(recs []placed) []placed {
	p := s.b.rt.plan
	parallel(len(recs), func(k int) {
		r := &recs[k]
		r.start = notPlaced
		if s.stopped() {
			return
		}
		v := visit.Generate(s.b.cfgs[r.target], p.Seed, s.day.First+uint64(r.offset))
		if err := placeVisit(s.day, v, p.Seed, s.notAfter); err != nil {
			s.b.logf("backfill day %s: visit %d not placed: %v", s.day.Date, v.Index, err)
		} else {
			r.start = v.Start.UnixNano()
		}
		v.Release()
	})
	out := recs[:0]
	for _, r := range recs {
		if r.start != notPlaced {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b placed) int { return cmp.Compare(a.start, b.start) })
	s.placedPeak = max(s.placedPeak, cap(recs))
	return out
}

// sendAll generates recs again, a batch at a time while the previous one is
// being sent, and sends them in order; false when send refused one.
func (s *dayStream) sendAll(recs []placed, send func(job) bool) bool {
	batches := make(chan []job, 1)
	quit := make(chan struct{})
	go func() {
		defer close(batches)
		for lo := 0; lo < len(recs); lo += s.batch {
			jobs := s.generate(recs[lo:min(lo+s.batch, len(recs))])
			select {
			case batches <- jobs:
			case <-quit:
				return
			}
		}
	}()
	defer func() {
		close(quit)
		for range batches { // let the producer end
		}
	}()
	for jobs := range batches {
		if !s.sendJobs(jobs, send) {
			return false
		}
	}
	return true
}

// sendJobs sends jobs in order; false when send refused one.
func (s *dayStream) sendJobs(jobs []job, send func(job) bool) bool {
	for k, j := range jobs {
		s.held.Add(-1)
		if !send(j) {
			s.held.Add(-int64(len(jobs) - k - 1))
			return false
		}
	}
	return true
}

// generate makes the jobs of recs, in their order.
func (s *dayStream) generate(recs []placed) []job {
	jobs := make([]job, len(recs))
	errs := make([]error, len(recs))
	parallel(len(recs), func(k int) {
		r := recs[k]
		jobs[k] = job{index: s.day.First + uint64(r.offset), target: int(r.target)}
		errs[k] = s.b.makeJob(s.day, &jobs[k], s.b.rt.plan.Seed, s.notAfter)
	})
	out := jobs[:0]
	for k, j := range jobs {
		if errs[k] != nil { // placed once already: not expected
			s.b.logf("backfill day %s: visit %d not placed: %v", s.day.Date, j.index, errs[k])
			continue
		}
		out = append(out, j)
	}
	if n := s.held.Add(int64(len(out))); n > s.heldPeak.Load() {
		s.heldPeak.Store(n)
	}
	return out
}

// parallel calls f(0) … f(n−1) on every CPU, in chunks of 64.
func parallel(n int, f func(k int)) {
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(goruntime.GOMAXPROCS(0), (n+chunk-1)/chunk) {
		wg.Go(func() {
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for k := lo; k < min(lo+chunk, n); k++ {
					f(k)
				}
			}
		})
	}
	wg.Wait()
}

// notPlaced marks a visit that a stop or an error left unplaced.
const notPlaced = math.MinInt64

// expected is about how many visits of the day the hours of g get, with
// room for chance: collect's capacity, so that it is not grown by copies.
func (s *dayStream) expected(g [2]int) int {
	total, in := 0.0, 0.0
	for k, sl := range s.day.Slots {
		total += max(sl.Weight, 0)
		if k >= g[0] && k < g[1] {
			in += max(sl.Weight, 0)
		}
	}
	if total <= 0 {
		return 0
	}
	n := float64(s.day.Visits) * in / total
	return int(n + 4*math.Sqrt(n) + 16)
}

// placeDraw is the uniform draw in [0, 1) that picks the hour of visit
// index from the day's curve: a stream of its own, so that the same seed
// places a visit the same way at any concurrency.
func placeDraw(seed, index uint64) float64 {
	return rand.New(rand.NewPCG(seed^0x6a09e667f3bcc909, index)).Float64()
}
