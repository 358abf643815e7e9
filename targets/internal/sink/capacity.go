package sink

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The capacity limiter makes the sink behave as a Matomo with a fixed
// capacity, to test clients that search for the fastest rate a target
// sustains (rps: auto): tracking requests beyond Config.MaxRate per second
// get 503 with Retry-After and record nothing, and every request is slowed
// by a latency that grows as the arrival rate approaches the capacity, the
// way a queueing server's does (base × 1/(1-load), capped).

// MaxLatencyFactor caps the latency curve: at or above the capacity a
// request waits at most this many times Config.Latency.
const MaxLatencyFactor = 20

// LatencyAt is the latency of a request when the arrival rate is load
// times the capacity: base/(1-load), at most base×MaxLatencyFactor. A load
// at or below 0 gives base.
func LatencyAt(base time.Duration, load float64) time.Duration {
	if base <= 0 {
		return 0
	}
	if load <= 0 {
		return base
	}
	f := MaxLatencyFactor * 1.0
	if load < 1 {
		f = math.Min(f, 1/(1-load))
	}
	return time.Duration(float64(base) * f)
}

// capacity is a token bucket of MaxRate tokens a second holding at most
// one second of them (the burst a server's queue absorbs), and a count of
// the arrivals in the current and the previous second, for the load.
type capacity struct {
	rate    float64 // tokens per second; 0: no limit
	latency time.Duration
	now     func() time.Time

	mu        sync.Mutex
	tokens    float64
	last      time.Time // of the last refill
	sec       int64     // the unix second counted in cur
	cur, prev int
}

func newCapacity(rate float64, latency time.Duration, now func() time.Time) (*capacity, error) {
	if !(rate >= 0) || math.IsInf(rate, 0) {
		return nil, fmt.Errorf("sink: MaxRate %v is not a rate of 0 (no limit) or more requests per second", rate)
	}
	if latency < 0 {
		return nil, fmt.Errorf("sink: Latency %v is negative", latency)
	}
	if rate == 0 && latency == 0 {
		return nil, nil
	}
	return &capacity{rate: rate, latency: latency, now: now, tokens: math.Max(rate, 1)}, nil
}

// take admits one request or refuses it (over capacity), and says how long
// the admitted request should wait.
func (c *capacity) take() (ok bool, wait time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now()
	if s := t.Unix(); s != c.sec {
		if s == c.sec+1 {
			c.prev = c.cur
		} else {
			c.prev = 0
		}
		c.sec, c.cur = s, 0
	}
	c.cur++
	if c.rate == 0 {
		return true, c.latency
	}
	if !c.last.IsZero() {
		c.tokens = math.Min(math.Max(c.rate, 1), c.tokens+t.Sub(c.last).Seconds()*c.rate)
	}
	c.last = t
	// The arrival rate over the last second: the previous second's share
	// still inside the window plus the current one's.
	frac := float64(t.Nanosecond()) / 1e9
	load := (float64(c.prev)*(1-frac) + float64(c.cur)) / c.rate
	if c.tokens < 1 {
		return false, 0
	}
	c.tokens--
	return true, LatencyAt(c.latency, load)
}

// admit applies the capacity limiter to a tracking request: false when it
// was answered 503 (and nothing of it will be recorded).
func (s *Sink) admit(w http.ResponseWriter) bool {
	ok, wait := s.capacity.take()
	if !ok {
		s.ctr.requests.Add(1)
		s.overCapacity.Add(1)
		w.Header().Set("Retry-After", capacityRetryAfter)
		s.failRequest(w, errBusy, http.StatusServiceUnavailable, "over capacity ("+strconv.FormatFloat(s.capacity.rate, 'g', -1, 64)+" requests/s), retry later")
		return false
	}
	if wait > 0 {
		time.Sleep(wait)
	}
	return true
}

// capacityRetryAfter is the Retry-After of a 503 over capacity: a token
// comes back within a second at any MaxRate of 1 or more.
const capacityRetryAfter = "1"

// OverCapacity is the number of tracking requests refused with 503
// because they came above Config.MaxRate.
func (s *Sink) OverCapacity() int64 { return s.overCapacity.Load() }
