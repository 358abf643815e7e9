package exec

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/pacing"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// fakeSender answers every hit OK after a fixed delay and remembers the
// order in which the hits of each visit arrived.
type fakeSender struct {
	delay    time.Duration
	mu       sync.Mutex
	got      []string
	bulks    []int
	requests atomic.Int64
}

func (f *fakeSender) SendOne(ctx context.Context, q, ua string) kind.Result {
	f.requests.Add(1)
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return kind.Result{Hits: 1, Failed: 1, Attempts: 1, ErrKind: "canceled"}
		}
	}
	f.mu.Lock()
	f.got = append(f.got, q)
	f.mu.Unlock()
	return kind.Result{Hits: 1, OK: 1, Status: 204, Attempts: 1}
}

func (f *fakeSender) SendBulk(ctx context.Context, qs []string, ua string) kind.Result {
	f.requests.Add(1)
	f.mu.Lock()
	f.got = append(f.got, qs...)
	f.bulks = append(f.bulks, len(qs))
	f.mu.Unlock()
	return kind.Result{Hits: len(qs), OK: len(qs), Status: 200, Attempts: 1}
}

type one struct{}

func (one) Next() int { return 0 }

// threeHits builds a visit of three hits named after the visit index.
func threeHits(pause time.Duration) func(uint64, time.Time) Job {
	return func(n uint64, _ time.Time) Job {
		j := Job{UserAgent: "ua"}
		for i := 0; i < 3; i++ {
			q := string(rune('a'+n%26)) + "-" + string(rune('0'+i))
			j.Hits = append(j.Hits, JobHit{Payload: q, Kind: kind.Pageview, Pause: pause})
		}
		return j
	}
}

func newTarget(s Sender, bulk int, pause time.Duration) *Target {
	return &Target{Name: "t", Sender: s, Bulk: bulk, Recorder: metrics.NewRecorder(time.Minute, nil), Build: threeHits(pause)}
}

func TestArrivalsFollowTheScheduleExactly(t *testing.T) {
	s := &fakeSender{}
	tg := newTarget(s, 0, 0)
	e := &Executor{Pacer: pacing.Constant(200, time.Second), Router: one{}, Targets: []*Target{tg}, Concurrency: 50, Grace: WaitForAll}
	out := e.Run(context.Background())
	c := tg.Recorder.Snapshot().Counters
	if out.Reason != ReasonCompleted || out.Arrivals != 200 {
		t.Fatalf("outcome %v, want completed with 200 arrivals", out)
	}
	if c.Visits+c.Dropped != 200 || c.OK != 3*c.Visits || c.DroppedHits != 3*c.Dropped {
		t.Fatalf("counters %+v", c)
	}
}

func TestSlowTargetDropsInsteadOfDelaying(t *testing.T) {
	s := &fakeSender{delay: 300 * time.Millisecond}
	tg := newTarget(s, 0, 0)
	e := &Executor{Pacer: pacing.Constant(100, time.Second), Router: one{}, Targets: []*Target{tg}, Concurrency: 5, Grace: WaitForAll}
	start := time.Now()
	out := e.Run(context.Background())
	c := tg.Recorder.Snapshot().Counters
	if out.Arrivals != 100 {
		t.Fatalf("arrivals %d, want 100 whatever the target's speed", out.Arrivals)
	}
	if c.Dropped == 0 || c.Visits+c.Dropped != 100 {
		t.Fatalf("visits %d dropped %d: every arrival must be started or dropped", c.Visits, c.Dropped)
	}
	// Generous bound: the arrival loop must not have waited for slots.
	if el := time.Since(start); el > 10*time.Second {
		t.Fatalf("run took %v", el)
	}
}

func TestMaxVisitsStopsArrivals(t *testing.T) {
	tg := newTarget(&fakeSender{}, 0, 0)
	e := &Executor{Pacer: pacing.Constant(1000, 0), Router: one{}, Targets: []*Target{tg}, Concurrency: 100, MaxVisits: 37, Grace: WaitForAll}
	out := e.Run(context.Background())
	if out.Reason != ReasonMaxVisits || out.Arrivals != 37 {
		t.Fatalf("outcome %v", out)
	}
}

func TestBulkKeepsEachVisitInOrder(t *testing.T) {
	s := &fakeSender{}
	tg := newTarget(s, 10, time.Millisecond)
	e := &Executor{Pacer: pacing.Constant(500, 200*time.Millisecond), Router: one{}, Targets: []*Target{tg}, Concurrency: 200, BulkWait: 20 * time.Millisecond, Grace: WaitForAll}
	e.Run(context.Background())
	pos := map[string]int{}
	for i, q := range s.got {
		pos[q] = i
	}
	for v := 'a'; v < 'a'+26; v++ {
		p0, ok0 := pos[string(v)+"-0"]
		p1, ok1 := pos[string(v)+"-1"]
		p2, ok2 := pos[string(v)+"-2"]
		if ok0 && ok1 && ok2 && !(p0 < p1 && p1 < p2) {
			t.Fatalf("visit %c hits out of order: %d %d %d", v, p0, p1, p2)
		}
	}
	for _, n := range s.bulks {
		if n > 10 {
			t.Fatalf("bulk of %d hits, limit 10", n)
		}
	}
	c := tg.Recorder.Snapshot().Counters
	if c.OK != c.Hits || c.Hits != 3*c.Visits {
		t.Fatalf("counters %+v", c)
	}
}

func TestStopWithGraceCountsUnsentHits(t *testing.T) {
	tg := newTarget(&fakeSender{}, 0, time.Hour) // visits that would never finish
	e := &Executor{Pacer: pacing.Constant(100, 0), Router: one{}, Targets: []*Target{tg}, Concurrency: 1000, Grace: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	out := e.Run(ctx)
	c := tg.Recorder.Snapshot().Counters
	if out.Reason != ReasonInterrupted {
		t.Fatalf("reason %s", out.Reason)
	}
	if c.OK != c.Visits || c.Unsent != 2*c.Visits {
		t.Fatalf("each visit sent 1 hit and left 2 unsent: %+v", c)
	}
}

func TestAbortCancelsAtOnce(t *testing.T) {
	tg := newTarget(&fakeSender{}, 0, time.Hour)
	e := &Executor{Pacer: pacing.Constant(100, 0), Router: one{}, Targets: []*Target{tg}, Concurrency: 1000, Grace: time.Hour}
	time.AfterFunc(100*time.Millisecond, func() { e.Stop(ReasonAborted, true) })
	start := time.Now()
	out := e.Run(context.Background())
	if out.Reason != ReasonAborted || time.Since(start) > 5*time.Second {
		t.Fatalf("outcome %v after %v", out, time.Since(start))
	}
}
