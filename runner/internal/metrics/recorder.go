package metrics

import (
	"strconv"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Latencies are recorded in microseconds from 1 µs to 5 minutes with three
// significant digits: 0.1 % precision, enough to tell p99s apart.
const (
	latencyMin     = 1
	latencyMax     = int64(5 * time.Minute / time.Microsecond)
	latencySigFigs = 3
)

// NewLatencyHistogram returns an empty histogram with the geometry every
// report uses, so that histograms from different runs merge exactly.
func NewLatencyHistogram() *hdr.Histogram {
	return hdr.New(latencyMin, latencyMax, latencySigFigs)
}

// Request is the outcome of one HTTP request carrying one or more hits.
type Request struct {
	Hits     [kind.NumHitKinds]int32 // hits in the request, by kind
	OK       int
	Rejected int
	Failed   int
	Unknown  int // sent, outcome unknown (timeout or reset after the body was written)
	Status   int // final HTTP status; 0 for a network error
	Attempts int // 1 + retries
	Latency  time.Duration
	ErrKind  string // empty when OK
	ErrMsg   string // one example; must already be free of secrets
}

// Recorder accumulates the figures of one scope (a target). It is safe for
// concurrent use; one lock per request is cheap next to an HTTP round trip.
type Recorder struct {
	mu      sync.Mutex
	c       Counters
	latency *hdr.Histogram
	win     *window
	exp     *expected // nil unless Expect was called
	carried Counters  // what earlier attempts counted (carried.go)
}

// NewRecorder returns a recorder whose sliding window covers span, read
// with clock (nil: time.Now).
func NewRecorder(span time.Duration, clock func() time.Time) *Recorder {
	return &Recorder{
		c:       Counters{HitsByKind: map[string]int64{}, Status: map[string]int64{}},
		latency: NewLatencyHistogram(),
		win:     newWindow(span, clock),
	}
}

// RecordRequest counts one request and its hits.
func (r *Recorder) RecordRequest(q Request) {
	us := max(q.Latency.Microseconds(), latencyMin)
	if us > latencyMax {
		us = latencyMax
	}
	status := statusText(q.Status)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range [...]*Counters{&r.c, r.win.current()} {
		c.Requests++
		for k, n := range q.Hits {
			if n > 0 {
				c.Hits += int64(n)
				c.HitsByKind[kind.HitKind(k).String()] += int64(n)
			}
		}
		c.OK += int64(q.OK)
		c.Rejected += int64(q.Rejected)
		c.Failed += int64(q.Failed)
		c.Unknown += int64(q.Unknown)
		c.Retries += int64(max(q.Attempts-1, 0))
		c.Status[status]++
		if q.ErrKind != "" {
			if c.Errors == nil {
				c.Errors = map[string]Error{}
			}
			e := c.Errors[q.ErrKind]
			e.Count++
			if e.Example == "" {
				e.Example = q.ErrMsg
			}
			c.Errors[q.ErrKind] = e
		}
	}
	_ = r.latency.RecordValue(us)
	_ = r.win.latency().RecordValue(us)
}

// RecordVisit counts a started visit.
func (r *Recorder) RecordVisit() {
	r.mu.Lock()
	r.c.Visits++
	r.win.current().Visits++
	r.mu.Unlock()
}

// RecordDropped counts a visit that was due while the concurrency cap was
// full, and the hits it would have sent.
func (r *Recorder) RecordDropped(hits int) {
	r.mu.Lock()
	for _, c := range [...]*Counters{&r.c, r.win.current()} {
		c.Dropped++
		c.DroppedHits += int64(hits)
	}
	r.mu.Unlock()
}

// RecordUnsent counts hits of a started visit that were never sent because
// the run stopped before them.
func (r *Recorder) RecordUnsent(hits int) {
	r.mu.Lock()
	r.c.Unsent += int64(hits)
	r.win.current().Unsent += int64(hits)
	r.mu.Unlock()
}

// Snapshot is a consistent copy of a recorder's figures.
type Snapshot struct {
	Counters Counters
	Latency  *hdr.Histogram
	// Carried is the part of Counters that earlier attempts of a resumed
	// backfill counted (carried.go); zero otherwise.
	Carried Counters
}

// Snapshot copies the whole-run figures.
func (r *Recorder) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Snapshot{Counters: r.c.Clone(), Latency: hdr.Import(r.latency.Export()), Carried: r.carried.Clone()}
}

// Window returns the figures of the last span (rounded up to whole
// buckets; see window.go).
func (r *Recorder) Window(span time.Duration) Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.win.sum(span)
}

// Merge adds o into s (exact: sums and an HDR merge of equal geometry).
func (s *Snapshot) Merge(o Snapshot) {
	s.Counters.Add(o.Counters)
	s.Carried.Add(o.Carried)
	if s.Latency == nil {
		s.Latency = NewLatencyHistogram()
	}
	if o.Latency != nil {
		s.Latency.Merge(o.Latency)
	}
}

// Percentile returns the latency at q (0..100) in milliseconds, 0 with no
// samples.
func (s *Snapshot) Percentile(q float64) float64 {
	if s.Latency == nil || s.Latency.TotalCount() == 0 {
		return 0
	}
	return float64(s.Latency.ValueAtPercentile(q)) / 1000
}

// MaxMs is the largest latency in milliseconds.
func (s *Snapshot) MaxMs() float64 {
	if s.Latency == nil {
		return 0
	}
	return float64(s.Latency.Max()) / 1000
}

// statusNames holds the text of every HTTP status code, so that recording
// a request does not allocate one.
var statusNames = func() (t [600]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func statusText(code int) string {
	if code >= 0 && code < len(statusNames) {
		return statusNames[code]
	}
	return strconv.Itoa(code)
}
