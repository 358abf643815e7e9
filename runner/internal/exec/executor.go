package exec

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
)

// Router picks the target of each visit; a visit stays on its target.
type Router interface {
	Next() int
}

// Executor runs one realtime schedule.
type Executor struct {
	Pacer       pacing.Pacer
	Router      Router
	Targets     []*Target
	Concurrency int
	MaxVisits   int64 // 0: no limit on arrivals
	DailyCap    int64 // 0: off; visits started in any rolling 24 h
	// Grace is how long in-flight visits may finish once arrivals end: 0
	// cancels them at once, WaitForAll waits for them however long.
	Grace time.Duration
	// Duration bounds arrivals on the wall clock (run.duration); 0: none.
	// The visits due by then that never started are counted dropped.
	Duration time.Duration
	// HardStop, when cancelled (a second Ctrl-C), is a hard interruption.
	HardStop context.Context
	BulkWait time.Duration // how long a bulk batch waits to fill; default 200ms
	// Skip, when set, leaves out visit n (another shard's, apply
	// --shard): it is paced, routed and counted by the daily cap as in
	// the whole run, so that the visits kept are the whole run's, but it
	// is neither started nor dropped here.
	Skip func(n uint64) bool
	Logf func(format string, args ...any)
	// Now and Sleep are the clock, replaceable in tests.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	realClock    bool        // Sleep is the real one: pauses are timers (visitrun.go)
	arrivalTimer *time.Timer // reused by sleepUntilStop (arrival loop only)
	workers      *workers    // run visit steps (visitrun.go)

	started  time.Time
	arrivals atomic.Int64
	inflight atomic.Int64
	stop     Stopper
	overdue  sync.WaitGroup // counting the visits the wall-clock bound left unstarted
}

// Outcome says why and when a run ended.
type Outcome struct {
	Reason string
	Start  time.Time
	// ArrivalsEnd is when arrivals stopped; End is when the last visit
	// finished (or the grace period ran out).
	ArrivalsEnd time.Time
	End         time.Time
	Arrivals    int64 // visits due: started plus dropped
}

func (e *Executor) defaults() {
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Sleep == nil {
		e.Sleep = sleepCtx
		e.realClock = true
	}
	if e.Logf == nil {
		e.Logf = func(string, ...any) {}
	}
	if e.BulkWait <= 0 {
		e.BulkWait = 200 * time.Millisecond
	}
	if e.Concurrency <= 0 {
		e.Concurrency = 1
	}
	e.stop.Grace, e.stop.Duration, e.stop.HardStop, e.stop.Logf = e.Grace, e.Duration, e.HardStop, e.Logf
}

// Stop ends arrivals; in-flight visits get the grace period. A hard stop
// (abort, a second Ctrl-C) also cancels them at once. It may come before
// Run.
func (e *Executor) Stop(reason string, hard bool) { e.stop.Stop(reason, hard) }

// Started returns when the run began (zero before Run).
func (e *Executor) Started() time.Time { return e.started }

// InFlight returns the visits in flight now.
func (e *Executor) InFlight() int64 { return e.inflight.Load() }

// Stopping is closed once arrivals end, whatever ended them (a stop, the
// schedule's end, run.duration, run.max_visits): the visits in flight
// then have the grace period.
func (e *Executor) Stopping() <-chan struct{} { return e.stop.Stopping() }

// Run schedules arrivals until the schedule ends, MaxVisits arrivals were
// due, Duration has passed or Stop is called; then waits for in-flight
// visits up to Grace. Cancelling ctx is an interruption.
func (e *Executor) Run(ctx context.Context) Outcome {
	e.defaults()
	hardCtx := e.stop.Hard()
	e.workers = newWorkers()
	defer e.workers.close()
	for _, t := range e.Targets {
		if t.Bulk > 0 {
			t.batch = newBatcher(hardCtx, t, e.BulkWait)
			t.batch.spawn = e.workers.do
		}
	}
	e.started = e.Now()
	release := e.stop.Begin(ctx, e.started)
	defer release()
	slots := make(chan struct{}, e.Concurrency)
	var wg sync.WaitGroup
	reason := e.schedule(hardCtx, slots, &wg)
	arrivalsEnd := e.Now()
	e.Stop(reason, false)
	e.stop.Drain(wg.Wait, e.inflight.Load)
	e.overdue.Wait()
	for _, t := range e.Targets {
		if t.batch != nil {
			t.batch.flush()
		}
	}
	return Outcome{Reason: reason, Start: e.started, ArrivalsEnd: arrivalsEnd, End: e.Now(), Arrivals: e.arrivals.Load()}
}

// schedule is the arrival loop. It never waits for a slot: a visit due
// while Concurrency visits are in flight is dropped and counted, so a slow
// target cannot slow the arrivals down (no coordinated omission).
func (e *Executor) schedule(ctx context.Context, slots chan struct{}, wg *sync.WaitGroup) string {
	dc := newDailyCap(e.DailyCap)
	paused := false
	for n := uint64(0); ; n++ {
		if e.MaxVisits > 0 && int64(n) >= e.MaxVisits {
			return ReasonMaxVisits
		}
		due, ok := e.Pacer.Due(n)
		if !ok {
			return ReasonCompleted
		}
		at := e.started.Add(due)
		if wait := at.Sub(e.Now()); wait > 0 {
			select {
			case <-e.stop.Stopping():
				return e.stopped(n, dc)
			default:
			}
			if err := e.sleepUntilStop(ctx, wait); err != nil {
				return e.stopped(n, dc)
			}
		}
		select {
		case <-e.stop.Stopping():
			return e.stopped(n, dc)
		default:
		}
		now := e.Now()
		if e.stop.Expired(now) {
			return e.dropOverdue(n, dc, now)
		}
		if dc.full(now) {
			if !paused {
				paused = true
				e.Logf("daily cap reached (%d visits in the last 24h); pausing arrivals until the window frees up", e.DailyCap)
			}
			continue
		}
		if paused {
			paused = false
			e.Logf("daily cap window has room again; resuming arrivals")
		}
		ti := e.Router.Next()
		if ti < 0 {
			return ReasonNoTarget
		}
		t := e.Targets[ti]
		if e.Skip != nil && e.Skip(n) {
			dc.add(now)
			continue
		}
		e.arrivals.Add(1)
		dc.add(now)
		select {
		case slots <- struct{}{}:
		default:
			t.Recorder.RecordDropped(t.hits(n, now))
			continue
		}
		e.inflight.Add(1)
		wg.Add(1)
		done := func() {
			<-slots
			e.inflight.Add(-1)
			wg.Done()
		}
		if e.realClock {
			e.startVisit(ctx, t, n, now, done)
			continue
		}
		go func(n uint64) { // a test clock: pauses go through e.Sleep
			defer done()
			e.runVisit(ctx, t, t.Build(n, now), false)
		}(n)
	}
}

// sleepUntilStop sleeps for d or until Stop. With the real clock it waits
// on one reused timer: the arrival loop sleeps before almost every arrival,
// thousands of times a second.
func (e *Executor) sleepUntilStop(ctx context.Context, d time.Duration) error {
	if e.realClock {
		if e.arrivalTimer == nil {
			e.arrivalTimer = time.NewTimer(d)
		} else {
			e.arrivalTimer.Reset(d) // safe since Go 1.23: no stale value is received
		}
		select {
		case <-e.arrivalTimer.C:
			return nil
		case <-e.stop.Stopping():
			return context.Canceled
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-e.stop.Stopping():
			cancel()
		case <-sctx.Done():
		}
	}()
	return e.Sleep(sctx, d)
}

// stopped is the reason of a Stop that ended arrivals before arrival n.
// The wall-clock bound is one: its overdue arrivals are dropped.
func (e *Executor) stopped(n uint64, dc *dailyCap) string {
	r := e.stop.Reason()
	if r == ReasonDuration {
		return e.dropOverdue(n, dc, e.Now())
	}
	if r == "" {
		return ReasonInterrupted
	}
	return r
}

// runVisit sends one visit's hits in order with their real pauses and
// returns the outcome of each. With cutOnFailure (backfill) a failed hit
// ends the visit: its later hits are counted unsent, so that what is left
// to send is always the visit's tail, in order.
func (e *Executor) runVisit(ctx context.Context, t *Target, job Job, cutOnFailure bool) Delivery {
	t.Recorder.RecordVisit()
	if job.Retaken != nil {
		t.Recorder.Retake(*job.Retaken)
	}
	hits := job.Hits
	d := Delivery{Hits: make([]HitOutcome, len(hits))}
	i := 0
	defer func() {
		recordFunnel(t, &job, i)
		recordSent(t, &job, d.Hits)
		job.release()
	}()
	for i < len(hits) {
		if p := hits[i].Pause; p > 0 && i > 0 {
			if err := e.Sleep(ctx, p); err != nil {
				t.Recorder.RecordUnsent(len(hits) - i)
				return d
			}
		}
		if ctx.Err() != nil {
			t.Recorder.RecordUnsent(len(hits) - i)
			return d
		}
		from := i
		i = sendNext(ctx, t, &job, i, d.Hits)
		if cutOnFailure && i < len(hits) && failedIn(d.Hits[from:i]) {
			t.Recorder.RecordUnsent(len(hits) - i)
			return d
		}
	}
	return d
}

func failedIn(outs []HitOutcome) bool {
	for _, o := range outs {
		if o == HitFailed {
			return true
		}
	}
	return false
}

// sendNext sends the hit at i, or in bulk mode the group of hits from i
// that have no pause between them (waiting for the answer to the batch
// that carried them, so a visitor's hits arrive oldest first), and returns
// the index of the next hit to send. outs, when not nil, gets the outcome
// of each hit sent (outs[i:next]); the target's journal, if any, records
// the hits before they go out and their outcomes after.
func sendNext(ctx context.Context, t *Target, job *Job, i int, outs []HitOutcome) int {
	hits := job.Hits
	if t.batch == nil {
		if t.journal != nil && t.journal.Sending([]Group{{job, i, i + 1}}) != nil {
			// Not journalled: not sent, and neither is the rest of the visit.
			t.Recorder.RecordUnsent(len(hits) - i)
			return len(hits)
		}
		res := t.Sender.SendOne(ctx, hits[i].Payload, job.UserAgent)
		t.Recorder.RecordRequest(request(res, []kind.HitKind{hits[i].Kind}))
		if t.limiter != nil {
			t.limiter.Observe(observationOf(res, 1))
		}
		if outs != nil {
			outcomesOf(res, outs[i:i+1])
			if t.journal != nil {
				t.journal.Answered(job, i, i+1, outs[i:i+1])
			}
		}
		return i + 1
	}
	j := i + 1
	for j < len(hits) && hits[j].Pause <= 0 && j-i < t.Bulk {
		j++
	}
	queries := make([]string, j-i)
	kinds := make([]kind.HitKind, j-i)
	for k := i; k < j; k++ {
		queries[k-i], kinds[k-i] = hits[k].Payload, hits[k].Kind
	}
	var group []HitOutcome
	if outs != nil {
		group = outs[i:j]
	}
	<-t.batch.submit(queries, kinds, group, Group{job, i, j})
	if t.journal != nil && group != nil {
		if group[0] == HitUnsent {
			// The journal failed and the batch was not sent (an answered
			// hit is never left unsent): neither is the rest of the visit.
			t.Recorder.RecordUnsent(len(hits) - j)
			return len(hits)
		}
		t.journal.Answered(job, i, j, group)
	}
	return j
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// String describes the outcome for logs.
func (o Outcome) String() string {
	return fmt.Sprintf("%s after %s (%d visits due)", o.Reason, o.End.Sub(o.Start).Round(time.Millisecond), o.Arrivals)
}
