package metrics

import (
	"strconv"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func req(ok, rejected, failed, status int, lat time.Duration) Request {
	var q Request
	q.Hits[kind.Pageview] = int32(ok + rejected + failed)
	q.OK, q.Rejected, q.Failed, q.Status, q.Attempts, q.Latency = ok, rejected, failed, status, 1, lat
	if rejected+failed > 0 {
		q.ErrKind, q.ErrMsg = "http_"+strconv.Itoa(status), "example"
	}
	return q
}

func TestRecorderCountsEveryHitOnce(t *testing.T) {
	r := NewRecorder(time.Minute, nil)
	r.RecordVisit()
	r.RecordRequest(req(3, 0, 0, 204, 10*time.Millisecond))
	r.RecordRequest(req(0, 2, 0, 400, 20*time.Millisecond))
	r.RecordRequest(req(0, 0, 1, 503, 30*time.Millisecond))
	r.RecordDropped(5)
	s := r.Snapshot()
	c := s.Counters
	if c.Requests != 3 || c.Hits != 6 || c.OK != 3 || c.Rejected != 2 || c.Failed != 1 || c.Dropped != 1 || c.DroppedHits != 5 || c.Visits != 1 {
		t.Fatalf("counters %+v", c)
	}
	if c.Status["204"] != 1 || c.Status["400"] != 1 || c.Status["503"] != 1 {
		t.Fatalf("status %v", c.Status)
	}
	if c.Errors["http_400"].Count != 1 || c.Errors["http_400"].Example != "example" {
		t.Fatalf("errors %v", c.Errors)
	}
	if got := c.ErrorRate(); got != 0.5 {
		t.Fatalf("error rate %v, want 0.5 (3 of 6 hits)", got)
	}
	if p := s.Percentile(50); p < 19.9 || p > 20.1 {
		t.Fatalf("p50 %v ms, want 20", p)
	}
}

func TestSnapshotsMergeExactly(t *testing.T) {
	whole := NewRecorder(time.Minute, nil)
	a := NewRecorder(time.Minute, nil)
	b := NewRecorder(time.Minute, nil)
	for i := 0; i < 10000; i++ {
		q := req(1, 0, 0, 204, time.Duration(i*37%5000)*time.Microsecond*97)
		whole.RecordRequest(q)
		if i%2 == 0 {
			a.RecordRequest(q)
		} else {
			b.RecordRequest(q)
		}
	}
	merged := a.Snapshot()
	merged.Merge(b.Snapshot())
	w := whole.Snapshot()
	if merged.Counters.Hits != w.Counters.Hits || merged.Counters.Status["204"] != 10000 {
		t.Fatalf("merged counters %+v", merged.Counters)
	}
	for _, q := range []float64{50, 90, 95, 99, 100} {
		if merged.Percentile(q) != w.Percentile(q) {
			t.Fatalf("p%v: merged %v, whole %v", q, merged.Percentile(q), w.Percentile(q))
		}
	}
}

func TestWindowForgetsOldSeconds(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_000_000, 0)}
	r := NewRecorder(time.Minute, clk.now)
	r.RecordRequest(req(0, 1, 0, 500, time.Millisecond))
	clk.t = clk.t.Add(30 * time.Second)
	r.RecordRequest(req(1, 0, 0, 204, time.Millisecond))
	if w := r.Window(time.Minute); w.Counters.Hits != 2 || w.Counters.Rejected != 1 {
		t.Fatalf("1m window %+v", w.Counters)
	}
	if w := r.Window(10 * time.Second); w.Counters.Hits != 1 || w.Counters.Rejected != 0 {
		t.Fatalf("10s window %+v", w.Counters)
	}
	clk.t = clk.t.Add(2 * time.Minute)
	if w := r.Window(time.Minute); w.Counters.Hits != 0 {
		t.Fatalf("stale window %+v", w.Counters)
	}
	if s := r.Snapshot(); s.Counters.Hits != 2 {
		t.Fatalf("whole run forgot hits: %+v", s.Counters)
	}
}
