package runner

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// tick evaluates the policies and calls opts.Progress once a second until
// the returned stop function is called.
func (rt *runtime) tick(e controller, g *gate, ser *series, opts Options) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				g.tick(now)
				ser.maybeSample(now, rt)
				if opts.Progress != nil {
					opts.Progress(rt.progress(e))
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (rt *runtime) progress(e controller) Progress { return rt.progressSince(e, e.Started()) }

// progressSince is progress with the run's start given: the live page
// reads it from other goroutines, before the executor has even set its
// own start.
func (rt *runtime) progressSince(e controller, start time.Time) Progress {
	var total, minute, recent metrics.Snapshot
	for _, t := range rt.targets {
		total.Merge(t.recorder.Snapshot())
		minute.Merge(t.recorder.Window(time.Minute))
		recent.Merge(t.recorder.Window(10 * time.Second))
	}
	c := total.Counters
	elapsed := time.Since(start)
	span := min(10*time.Second, elapsed).Seconds()
	rate := 0.0
	if span > 0 {
		rate = float64(recent.Counters.Visits+recent.Counters.Dropped) / span
	}
	autoLimit := 0
	if a, ok := e.(interface{ AutoLimit() int }); ok {
		autoLimit = a.AutoLimit()
	}
	return Progress{
		AutoLimit: autoLimit,
		Elapsed:   elapsed,
		Planned:   rt.plan.Stop.Duration.D(),
		MaxVisits: rt.plan.Stop.MaxVisits,
		Visits:    c.Visits,
		Dropped:   c.Dropped,
		Hits:      c.Hits,
		Errors:    c.ErrorCount(),
		P95Ms:     minute.Percentile(95),
		Rate:      rate,
		InFlight:  e.InFlight(),
	}
}
