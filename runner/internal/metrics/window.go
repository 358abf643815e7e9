package metrics

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// The sliding window keeps counters per second and latencies per ten
// seconds: a latency histogram per second would cost megabytes per target,
// and policies over a window ("p95 over the last minute") do not need
// finer latency steps. A span is rounded up to whole buckets.
const (
	counterStep = time.Second
	latencyStep = 10 * time.Second
	windowSig   = 2 // 1 % precision is plenty for window percentiles
)

type counterBucket struct {
	at int64 // unix second the bucket holds; buckets are reused
	c  Counters
}

type latencyBucket struct {
	at int64 // unix time / 10 s
	h  *hdr.Histogram
}

type window struct {
	clock    func() time.Time
	counters []counterBucket
	lats     []latencyBucket
}

func newWindow(span time.Duration, clock func() time.Time) *window {
	if clock == nil {
		clock = time.Now
	}
	n := max(int(span/counterStep), 1) + 1
	m := max(int(span/latencyStep), 1) + 1
	w := &window{clock: clock, counters: make([]counterBucket, n), lats: make([]latencyBucket, m)}
	for i := range w.counters {
		w.counters[i].at = -1
	}
	for i := range w.lats {
		w.lats[i].at = -1
	}
	return w
}

// current returns the counter bucket of this second, reset if stale.
func (w *window) current() *Counters {
	sec := w.clock().Unix()
	b := &w.counters[int(sec%int64(len(w.counters)))]
	if b.at != sec {
		b.at = sec
		b.c = Counters{HitsByKind: map[string]int64{}, Status: map[string]int64{}}
	}
	return &b.c
}

// latency returns the latency bucket of this ten-second step.
func (w *window) latency() *hdr.Histogram {
	step := w.clock().Unix() / int64(latencyStep/time.Second)
	b := &w.lats[int(step%int64(len(w.lats)))]
	if b.at != step {
		b.at = step
		if b.h == nil {
			b.h = hdr.New(latencyMin, latencyMax, windowSig)
		} else {
			b.h.Reset()
		}
	}
	return b.h
}

// sum adds up the buckets of the last span.
func (w *window) sum(span time.Duration) Snapshot {
	now := w.clock().Unix()
	secs := int64(max(span/counterStep, 1))
	out := Snapshot{Counters: Counters{HitsByKind: map[string]int64{}, Status: map[string]int64{}},
		Latency: hdr.New(latencyMin, latencyMax, windowSig)}
	for _, b := range w.counters {
		if b.at >= 0 && b.at > now-secs && b.at <= now {
			out.Counters.Add(b.c)
		}
	}
	steps := (secs + 9) / 10
	nowStep := now / 10
	for _, b := range w.lats {
		if b.at >= 0 && b.at > nowStep-steps && b.at <= nowStep && b.h != nil {
			out.Latency.Merge(b.h)
		}
	}
	return out
}
