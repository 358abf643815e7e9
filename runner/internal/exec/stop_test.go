package exec

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
)

// slowRouter makes the arrival loop slow for its first calls: it sleeps
// before each of them.
type slowRouter struct {
	calls atomic.Int64
	slow  int64
	sleep time.Duration
}

func (r *slowRouter) Next() int {
	if r.calls.Add(1) <= r.slow {
		time.Sleep(r.sleep)
	}
	return 0
}

// TestDurationIsAWallClockBound: an arrival loop that cannot keep up with
// 100,000 visits/s (its first 50 routings take 3 ms each, far past the
// 100 ms bound) stops starting visits at the bound. Every visit the
// schedule had due before the bound is counted: started, or dropped with
// its hits, and the reason is "duration", not "completed".
func TestDurationIsAWallClockBound(t *testing.T) {
	tg := newTarget(&fakeSender{}, 0, 0)
	r := &slowRouter{slow: 50, sleep: 3 * time.Millisecond}
	e := &Executor{Pacer: pacing.Constant(100000, 0), Router: r, Targets: []*Target{tg},
		Concurrency: 1000, Duration: 100 * time.Millisecond, Grace: WaitForAll}
	out := e.Run(context.Background())
	c := tg.Recorder.Snapshot().Counters
	if out.Reason != ReasonDuration || out.Arrivals != 10000 || c.Visits+c.Dropped != 10000 || c.DroppedHits != 3*c.Dropped {
		t.Fatalf("%v: %d visits started, %d dropped (%d hits); want 10000 due by the bound, 3 hits each", out, c.Visits, c.Dropped, c.DroppedHits)
	}
	if c.Visits >= 50 || c.OK != 3*c.Visits {
		t.Errorf("%d visits started (%d hits ok): the loop was slow for all of its 100 ms", c.Visits, c.OK)
	}
}

// TestDurationThatIsKeptCompletes: a loop that keeps up ends on its
// schedule: "completed", nothing dropped.
func TestDurationThatIsKeptCompletes(t *testing.T) {
	tg := newTarget(&fakeSender{}, 0, 0)
	e := &Executor{Pacer: pacing.Constant(200, 100*time.Millisecond), Router: one{}, Targets: []*Target{tg},
		Concurrency: 100, Duration: 100 * time.Millisecond, Grace: WaitForAll}
	out := e.Run(context.Background())
	c := tg.Recorder.Snapshot().Counters
	if out.Reason != ReasonCompleted || c.Visits != 20 || c.Dropped != 0 {
		t.Fatalf("%v: %d visits, %d dropped; want completed with 20", out, c.Visits, c.Dropped)
	}
}

// TestNoGraceCancelsAtOnce: Grace 0 is no grace period. Visits whose
// second hit waits for a target that answers in an hour are cancelled as
// soon as arrivals end: their first hits were sent, the rest unsent.
func TestNoGraceCancelsAtOnce(t *testing.T) {
	tg := newTarget(&fakeSender{delay: time.Hour}, 0, 0)
	e := &Executor{Pacer: pacing.Constant(100, 50*time.Millisecond), Router: one{}, Targets: []*Target{tg}, Concurrency: 100}
	out := e.Run(context.Background())
	c := tg.Recorder.Snapshot().Counters
	// The last visit may be cancelled before its first hit went out.
	if out.Reason != ReasonCompleted || c.Visits != 5 || c.OK != 0 || c.Failed != c.Hits || c.Hits+c.Unsent != 3*5 || c.Unsent < 2*5 {
		t.Fatalf("%v: counters %+v; want 5 visits, each with at most its first hit sent (and cancelled)", out, c)
	}
}

// TestStopperDrain: before a stop, Drain waits for the work however long
// (a backfill day's end); after one it gives the grace period, then
// cancels Hard and waits for the work to see it.
func TestStopperDrain(t *testing.T) {
	var s Stopper
	s.Grace = 20 * time.Millisecond
	release := s.Begin(context.Background(), time.Now())
	defer release()
	finished := make(chan struct{})
	go func() { time.Sleep(50 * time.Millisecond); close(finished) }()
	s.Drain(func() { <-finished }, func() int64 { return 1 })
	if s.Hard().Err() != nil || s.Reason() != "" {
		t.Fatalf("drained before any stop: hard %v, reason %q", s.Hard().Err(), s.Reason())
	}
	s.Stop(ReasonInterrupted, false)
	var cancelled atomic.Bool
	s.Drain(func() { <-s.Hard().Done(); cancelled.Store(true) }, func() int64 { return 1 })
	if !cancelled.Load() || s.Reason() != ReasonInterrupted {
		t.Fatalf("after the grace period: cancelled %v, reason %q", cancelled.Load(), s.Reason())
	}
}

// TestStopperHardStopAndDeadline: a cancelled HardStop is a hard
// interruption, and the wall-clock bound stops with "duration".
func TestStopperHardStopAndDeadline(t *testing.T) {
	hard, cancel := context.WithCancel(context.Background())
	s := Stopper{HardStop: hard, Grace: WaitForAll}
	release := s.Begin(context.Background(), time.Now())
	defer release()
	cancel()
	<-s.Hard().Done()
	<-s.Stopping()
	if s.Reason() != ReasonInterrupted {
		t.Errorf("hard stop: reason %q", s.Reason())
	}

	d := Stopper{Duration: 10 * time.Millisecond}
	start := time.Now()
	release = d.Begin(context.Background(), start)
	defer release()
	arrivals, done := d.Arrivals()
	defer done()
	<-arrivals.Done()
	if d.Reason() != ReasonDuration || !d.Expired(start.Add(10*time.Millisecond)) || d.Expired(start.Add(9*time.Millisecond)) {
		t.Errorf("deadline: reason %q", d.Reason())
	}
}
