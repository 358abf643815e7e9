package exec

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
)

// TestPausedVisitsHoldNoGoroutine: 2,000 visits waiting in an hour-long
// pause are timers, not goroutines; cancelling them counts every hit they
// did not send.
func TestPausedVisitsHoldNoGoroutine(t *testing.T) {
	tg := newTarget(&fakeSender{}, 0, time.Hour)
	e := &Executor{Pacer: pacing.Constant(1e6, 0), Router: one{}, Targets: []*Target{tg}, Concurrency: 5000, MaxVisits: 2000, Grace: time.Hour}
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Outcome)
	go func() { out <- e.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for tg.Recorder.Snapshot().Counters.OK < 2000 {
		if time.Now().After(deadline) {
			t.Fatalf("visits did not send their first hits: %+v", tg.Recorder.Snapshot().Counters)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, in := runtime.NumGoroutine()-base, e.InFlight(); in != 2000 || n > maxIdleWorkers+50 {
		t.Errorf("%d visits in flight on %d goroutines, want 2000 on at most the idle workers and a few", in, n)
	}
	e.Stop(ReasonAborted, true)
	o := <-out
	c := tg.Recorder.Snapshot().Counters
	if o.Reason != ReasonMaxVisits || c.Visits != 2000 || c.OK != 2000 || c.Unsent != 4000 || e.InFlight() != 0 {
		t.Errorf("outcome %v, in flight %d, counters %+v: each visit sent 1 hit and left 2", o, e.InFlight(), c)
	}
}

// TestPauseAndCancelRace cancels runs while pauses of 0-2 ms end all the
// time: every hit of every started visit is either sent or counted
// unsent, exactly once (run with -race).
func TestPauseAndCancelRace(t *testing.T) {
	for i := range 20 {
		tg := newTarget(&fakeSender{}, 0, time.Duration(i%3)*time.Millisecond)
		e := &Executor{Pacer: pacing.Constant(20000, 0), Router: one{}, Targets: []*Target{tg}, Concurrency: 10000, Grace: time.Millisecond}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Duration(5+i)*time.Millisecond, cancel)
		e.Run(ctx)
		c := tg.Recorder.Snapshot().Counters
		if c.OK+c.Unsent+c.DroppedHits != 3*(c.Visits+c.Dropped) || e.InFlight() != 0 {
			t.Fatalf("run %d: counters %+v, in flight %d", i, c, e.InFlight())
		}
	}
}
