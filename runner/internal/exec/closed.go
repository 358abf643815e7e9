package exec

import (
	"context"
	"sync"
	"sync/atomic"
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
	// Limiter, when set (rps: auto), bounds the visits in flight instead
	// of Concurrency, learning from every answer; RPS is then its ceiling.
	Limiter Limiter

	exec     Executor
	slots    chan struct{}
	wg       sync.WaitGroup
	rate     *rateSchedule // nil until the first Submit with RPS
	inflight atomic.Int64
	freed    chan struct{} // a visit ended: the limit may admit another
}

// Start prepares the batchers; ctx cancels requests in flight (a hard stop).
func (c *Closed) Start(ctx context.Context) {
	c.exec.BulkWait = c.BulkWait
	c.exec.Concurrency = c.Concurrency
	c.exec.defaults()
	c.slots = make(chan struct{}, c.exec.Concurrency)
	c.freed = make(chan struct{}, 1)
	for _, t := range c.Targets {
		t.journal = c.Journal
		t.limiter = c.Limiter
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
		if c.rate == nil {
			c.rate = newRateSchedule(c.RPS)
		}
		if wait := c.rate.due(time.Now()); wait > 0 {
			if err := sleepCtx(stop, wait); err != nil {
				return err
			}
		}
	}
	if c.Limiter != nil {
		if err := c.admit(stop); err != nil {
			return err
		}
		t := c.Targets[target]
		c.wg.Add(1)
		go func() {
			defer func() {
				c.inflight.Add(-1)
				select {
				case c.freed <- struct{}{}:
				default:
				}
				c.wg.Done()
			}()
			done(c.exec.runVisit(ctx, t, job, true))
		}()
		return nil
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

// admit waits until the Limiter allows one more visit in flight, and
// counts it. Only the one goroutine that submits calls it.
func (c *Closed) admit(stop context.Context) error {
	for int(c.inflight.Load()) >= c.Limiter.Limit() {
		select {
		case <-c.freed:
		case <-stop.Done():
			return stop.Err()
		}
	}
	c.inflight.Add(1)
	return nil
}

// Limit is the visits the Limiter allows in flight now; 0 without one.
func (c *Closed) Limit() int {
	if c.Limiter == nil {
		return 0
	}
	return c.Limiter.Limit()
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
