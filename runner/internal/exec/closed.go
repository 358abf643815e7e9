package exec

import (
	"context"
	"sync"
	"time"
)

// Closed runs jobs with backpressure, for backfill: a job waits for a free
// slot and for the rate limit, and nothing is dropped. There are no real
// pauses in backfill (the jobs carry none), so a visit holds its slot only
// for its requests.
type Closed struct {
	Targets     []*Target
	Concurrency int
	RPS         float64 // jobs started per second; 0 means no limit
	BulkWait    time.Duration
	// Journal, when set, records every hit before it is sent and its
	// outcome after (see Journal).
	Journal Journal

	exec  Executor
	slots chan struct{}
	wg    sync.WaitGroup
	next  time.Time
}

// Start prepares the batchers; ctx cancels requests in flight (a hard stop).
func (c *Closed) Start(ctx context.Context) {
	c.exec.BulkWait = c.BulkWait
	c.exec.Concurrency = c.Concurrency
	c.exec.defaults()
	c.slots = make(chan struct{}, c.exec.Concurrency)
	for _, t := range c.Targets {
		t.journal = c.Journal
		if t.Bulk > 0 {
			t.batch = newBatcher(ctx, t, c.exec.BulkWait)
		}
	}
}

// Submit blocks until job may start, then runs it in the background and
// calls done with the outcome of each of its hits. A failed hit ends the
// visit (its later hits are unsent), so that the hits left to send are the
// visit's tail. It returns stop's error when stop is cancelled first (a
// graceful stop: nothing more starts).
func (c *Closed) Submit(stop, ctx context.Context, target int, job Job, done func(Delivery)) error {
	if c.RPS > 0 {
		now := time.Now()
		if c.next.Before(now) {
			c.next = now
		}
		if wait := time.Until(c.next); wait > 0 {
			if err := sleepCtx(stop, wait); err != nil {
				return err
			}
		}
		c.next = c.next.Add(time.Duration(float64(time.Second) / c.RPS))
	}
	select {
	case c.slots <- struct{}{}:
	case <-stop.Done():
		return stop.Err()
	}
	t := c.Targets[target]
	c.wg.Add(1)
	go func() {
		defer func() { <-c.slots; c.wg.Done() }()
		done(c.exec.runVisit(ctx, t, job, true))
	}()
	return nil
}

// Drain waits for every job in flight and sends what the batchers hold, so
// that the figures recorded so far are complete.
func (c *Closed) Drain() {
	c.wg.Wait()
	for _, t := range c.Targets {
		if t.batch != nil {
			t.batch.flush()
		}
	}
}
