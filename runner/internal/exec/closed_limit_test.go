package exec

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// fixedLimiter allows n visits in flight and keeps what it observes.
type fixedLimiter struct {
	n        int
	mu       sync.Mutex
	seen     int
	overload int
}

func (f *fixedLimiter) Limit() int { return f.n }

func (f *fixedLimiter) Observe(o Observation) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen++
	if o.Overload {
		f.overload++
	}
}

// slowTarget answers after a pause, 503 to every 5th request, and keeps
// the largest number of requests it had in flight at once.
type slowTarget struct {
	inflight, most, n atomic.Int64
}

func (s *slowTarget) SendOne(context.Context, string, string) kind.Result {
	cur := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for {
		m := s.most.Load()
		if cur <= m || s.most.CompareAndSwap(m, cur) {
			break
		}
	}
	time.Sleep(3 * time.Millisecond)
	if s.n.Add(1)%5 == 0 {
		return kind.Result{Hits: 1, Failed: 1, Status: 503, Attempts: 1, Latency: 3 * time.Millisecond}
	}
	return kind.Result{Hits: 1, OK: 1, Status: 204, Attempts: 1, Latency: 3 * time.Millisecond}
}

func (s *slowTarget) SendBulk(context.Context, []string, string) kind.Result {
	panic("not in this test")
}

// TestClosedKeepsTheLimiterInFlight: with a Limiter, Closed keeps at most
// its Limit visits in flight (not Concurrency), and feeds it every answer.
func TestClosedKeepsTheLimiterInFlight(t *testing.T) {
	lim := &fixedLimiter{n: 3}
	st := &slowTarget{}
	tgt := &Target{Name: "t", Sender: st, Recorder: metrics.NewRecorder(0, nil)}
	c := &Closed{Targets: []*Target{tgt}, Concurrency: 50, Limiter: lim}
	c.Start(context.Background())
	for v := range uint64(30) {
		if err := c.Submit(context.Background(), context.Background(), 0, jobOf(v, 1), func(Delivery) {}); err != nil {
			t.Fatal(err)
		}
	}
	c.Drain()
	if m := st.most.Load(); m != 3 {
		t.Errorf("at most %d requests in flight, want the limit, 3", m)
	}
	if lim.seen != 30 || lim.overload != 6 {
		t.Errorf("the limiter saw %d answers, %d overloaded; want 30 and 6", lim.seen, lim.overload)
	}
	if c.Limit() != 3 || c.inflight.Load() != 0 {
		t.Errorf("Limit %d, in flight after Drain %d; want 3 and 0", c.Limit(), c.inflight.Load())
	}
}
