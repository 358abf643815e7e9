package runner

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/exec"
	"github.com/trafficinator/trafficinator/runner/metrics"
)

// tick calls opts.Progress about once a second until the returned stop
// function is called.
func (rt *runtime) tick(e *exec.Executor, opts Options) (stop func()) {
	if opts.Progress == nil {
		return func() {}
	}
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
			case <-t.C:
				opts.Progress(rt.progress(e))
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (rt *runtime) progress(e *exec.Executor) Progress {
	var total, minute, recent metrics.Snapshot
	for _, t := range rt.targets {
		total.Merge(t.recorder.Snapshot())
		minute.Merge(t.recorder.Window(time.Minute))
		recent.Merge(t.recorder.Window(10 * time.Second))
	}
	c := total.Counters
	return Progress{
		Elapsed:  time.Since(e.Started()),
		Planned:  rt.plan.Stop.Duration.D(),
		Visits:   c.Visits,
		Dropped:  c.Dropped,
		Hits:     c.Hits,
		Errors:   c.ErrorCount(),
		P95Ms:    minute.Percentile(95),
		Rate:     float64(recent.Counters.Visits+recent.Counters.Dropped) / 10,
		InFlight: e.InFlight(),
	}
}
