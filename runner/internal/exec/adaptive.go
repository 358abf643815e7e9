package exec

import (
	"math"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Limiter decides how many visits a backfill keeps in flight (rps: auto),
// learning from every answer of the target. Closed asks Limit before it
// starts a visit and feeds Observe from the requests' results.
type Limiter interface {
	// Limit is the number of visits allowed in flight now (at least 1).
	Limit() int
	// Observe takes the result of one request.
	Observe(o Observation)
}

// Observation is what a Limiter learns from one request.
type Observation struct {
	Latency time.Duration // of the last attempt
	Hits    int           // carried by the request (a bulk request: many)
	// Visits is how many visits the answer moves on (a bulk request
	// carries hits of many; 0 counts as 1): a window is as many of those
	// as the limit, one round trip of every visit in flight, whether the
	// requests carry one hit or a hundred.
	Visits int
	// Overload is true for the signs of a target past its capacity: 429,
	// 503, a timeout, or an answer that needed a retry.
	Overload bool
}

// observationOf reads the overload signs of a result that answered the
// hits of visits visits.
func observationOf(res kind.Result, visits int) Observation {
	o := Observation{Latency: res.Latency, Hits: max(res.Hits, 1), Visits: visits}
	o.Overload = res.Status == 429 || res.Status == 503 || res.ErrKind == "timeout" || res.Attempts > 1
	return o
}

// AIMD is additive-increase / multiplicative-decrease on the visits in
// flight, as TCP's congestion window and Envoy's adaptive concurrency
// filter do. It starts at Min and doubles the limit every window of good
// answers (slow start) until the latency per hit passes twice the baseline
// (the first sign of a queue, as TCP's HyStart) or the first congestion;
// after that it adds one visit per window (a window is Limit visits
// answered, one round trip of every visit in flight: with bulk requests,
// one answer moves many visits on, and counting answers made the window
// as many times longer as a request carries visits, so that the limit
// took minutes to climb back after a cut).
// Congestion is an overload answer, or a smoothed latency per hit above
// Tolerance times the baseline (the lowest smoothed latency seen, the
// target's idle answer time); it multiplies the limit by Backoff (by a
// half in slow start, which overshoots), at most once a window, since the
// answers of one window all report the same congestion.
//
// The latency is taken per hit so that larger bulk batches, which take
// longer but carry more, do not read as congestion.
type AIMD struct {
	Min, Max  int     // bounds of the limit; Max 0 means 4096
	Tolerance float64 // latency × Tolerance over the baseline is congestion; 0 means 10
	Backoff   float64 // the cut; 0 means 0.8

	mu        sync.Mutex
	limit     float64
	slowStart bool
	smoothed  float64 // EWMA of the latency per hit, in ns
	baseline  float64 // lowest smoothed latency per hit, in ns
	sinceCut  int     // answers since the last cut
	cuts      int
}

// ewmaWeight is the weight of a new answer in the smoothed latency: enough
// to follow a change within a few answers, not one slow answer alone.
const ewmaWeight = 0.2

// slowStartExit ends slow start once the latency per hit reaches this
// multiple of the baseline: a queue is forming, and doubling further would
// overshoot the capacity by as much as it has reached.
const slowStartExit = 2

func (a *AIMD) init() {
	if a.limit == 0 {
		a.Min = max(a.Min, 1)
		if a.Max <= 0 {
			a.Max = 4096
		}
		a.Max = max(a.Max, a.Min)
		if a.Tolerance <= 1 {
			a.Tolerance = 10
		}
		if !(a.Backoff > 0 && a.Backoff < 1) {
			a.Backoff = 0.8
		}
		a.limit, a.slowStart = float64(a.Min), true
	}
}

// Limit implements Limiter.
func (a *AIMD) Limit() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	return int(a.limit)
}

// Cuts is the number of multiplicative decreases so far.
func (a *AIMD) Cuts() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cuts
}

// Observe implements Limiter.
func (a *AIMD) Observe(o Observation) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	visits := max(o.Visits, 1)
	a.sinceCut += visits
	congested := o.Overload
	if !o.Overload && o.Latency > 0 {
		perHit := float64(o.Latency) / float64(max(o.Hits, 1))
		if a.smoothed == 0 {
			a.smoothed = perHit
		} else {
			a.smoothed += ewmaWeight * (perHit - a.smoothed)
		}
		if a.baseline == 0 || a.smoothed < a.baseline {
			a.baseline = a.smoothed
		}
		congested = a.smoothed > a.baseline*a.Tolerance
		if a.smoothed > a.baseline*slowStartExit {
			a.slowStart = false
		}
	}
	if congested {
		if a.sinceCut >= int(a.limit) {
			cut := a.Backoff
			if a.slowStart {
				cut = 0.5
			}
			a.limit = math.Max(float64(a.Min), math.Floor(a.limit*cut))
			a.sinceCut, a.slowStart = 0, false
			a.cuts++
		}
		return
	}
	if a.slowStart {
		a.limit += float64(visits)
	} else {
		a.limit += float64(visits) / a.limit
	}
	a.limit = math.Min(a.limit, float64(a.Max))
}
