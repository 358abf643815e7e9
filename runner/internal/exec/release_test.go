package exec

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
)

// releaseCounter wraps a target's Build so that every job counts its
// Release calls, and a job released twice, or used after release, shows.
type releaseCounter struct {
	built, released, twice atomic.Int64
}

func (rc *releaseCounter) wrap(build func(uint64, time.Time) Job) func(uint64, time.Time) Job {
	return func(n uint64, start time.Time) Job {
		j := build(n, start)
		rc.built.Add(1)
		var done atomic.Bool
		j.Release = func() {
			if done.Swap(true) {
				rc.twice.Add(1)
			}
			rc.released.Add(1)
		}
		return j
	}
}

func (rc *releaseCounter) check(t *testing.T) {
	t.Helper()
	if b, r, tw := rc.built.Load(), rc.released.Load(), rc.twice.Load(); b == 0 || r != b || tw != 0 {
		t.Fatalf("%d jobs built, %d releases, %d released twice: want every job released once", b, r, tw)
	}
}

// Every job is released exactly once whatever ends its visit: completion
// (single and bulk), drops counted by building the job, a cancellation
// during a pause, an abort, and the test-clock path.
func TestEveryJobReleasedOnce(t *testing.T) {
	cases := []struct {
		name  string
		run   func(e *Executor) Outcome
		pause time.Duration
		bulk  int
		conc  int
		sleep func(context.Context, time.Duration) error
	}{
		{name: "completed", run: func(e *Executor) Outcome { return e.Run(context.Background()) }, conc: 50},
		{name: "bulk", run: func(e *Executor) Outcome { return e.Run(context.Background()) }, bulk: 5, conc: 50},
		{name: "dropped", run: func(e *Executor) Outcome { return e.Run(context.Background()) }, pause: 20 * time.Millisecond, conc: 2},
		{name: "cancelled in a pause", pause: time.Hour, conc: 1000, run: func(e *Executor) Outcome {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			return e.Run(ctx)
		}},
		{name: "aborted", pause: time.Hour, conc: 1000, run: func(e *Executor) Outcome {
			time.AfterFunc(100*time.Millisecond, func() { e.Stop(ReasonAborted, true) })
			return e.Run(context.Background())
		}},
		{name: "test clock", run: func(e *Executor) Outcome { return e.Run(context.Background()) }, pause: time.Millisecond, conc: 50,
			sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var rc releaseCounter
			tg := newTarget(&fakeSender{}, tc.bulk, tc.pause)
			tg.Build = rc.wrap(tg.Build)
			e := &Executor{Pacer: pacing.Constant(200, 500*time.Millisecond), Router: one{}, Targets: []*Target{tg},
				Concurrency: tc.conc, Grace: 50 * time.Millisecond, Sleep: tc.sleep}
			tc.run(e)
			rc.check(t)
			// Each case must take the path it names.
			c := tg.Recorder.Snapshot().Counters
			switch tc.name {
			case "dropped":
				if c.Dropped == 0 {
					t.Fatal("no visit was dropped")
				}
			case "cancelled in a pause", "aborted":
				if c.Unsent == 0 {
					t.Fatalf("no hit left unsent: %+v", c)
				}
			}
		})
	}
}
