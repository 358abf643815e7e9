package exec

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Stop reasons reported by Run.
const (
	ReasonCompleted   = "completed"   // the schedule ended
	ReasonDuration    = "duration"    // run.duration ran out on the wall clock before every due visit started
	ReasonMaxVisits   = "max_visits"  // run.max_visits arrivals were due
	ReasonInterrupted = "interrupted" // a signal stopped the run
	ReasonAborted     = "aborted"     // a policy aborted the run
	ReasonNoTarget    = "no_target"   // every target was disabled
)

// WaitForAll is a Grace that waits for every visit in flight, however long
// it takes (library callers and tests; the CLI has no way to ask for it).
const WaitForAll time.Duration = -1

// Stopper is the stop machinery that both run modes share, the realtime
// Executor and the backfill loop, so that a signal, a policy abort,
// run.max_visits, run.duration and the grace period act the same way in
// both: a stop ends arrivals, the visits in flight get Grace to finish,
// and then a hard stop cancels their requests (their hits are counted
// unsent, or unknown when a request was on the wire).
//
// Stop may be called before Begin and from any goroutine.
type Stopper struct {
	// Grace is how long visits in flight may finish once arrivals end.
	// 0: no grace, they are cancelled at once; WaitForAll: no limit.
	Grace time.Duration
	// Duration bounds arrivals on the wall clock from Begin; 0: no bound.
	Duration time.Duration
	// HardStop, when cancelled (a second Ctrl-C), is a hard interruption:
	// the requests in flight are cancelled at once. nil: none.
	HardStop context.Context
	Logf     func(format string, args ...any)

	initOnce sync.Once
	stopOnce sync.Once
	stopCh   chan struct{}
	reason   atomic.Value // string
	hardCtx  context.Context
	hard     context.CancelFunc
	deadline time.Time // zero: none
}

func (s *Stopper) init() {
	s.initOnce.Do(func() {
		s.stopCh = make(chan struct{})
		s.hardCtx, s.hard = context.WithCancel(context.Background())
		if s.Logf == nil {
			s.Logf = func(string, ...any) {}
		}
	})
}

// Stop ends arrivals with reason (the first reason given wins); in-flight
// visits get the grace period. A hard stop (abort, a second Ctrl-C) also
// cancels them at once.
func (s *Stopper) Stop(reason string, hard bool) {
	s.init()
	s.stopOnce.Do(func() {
		s.reason.Store(reason)
		close(s.stopCh)
	})
	if hard {
		s.hard()
	}
}

// Stopping is closed by the first Stop.
func (s *Stopper) Stopping() <-chan struct{} {
	s.init()
	return s.stopCh
}

// Hard is the context of the requests in flight: cancelled by a hard stop
// or when the grace period runs out.
func (s *Stopper) Hard() context.Context {
	s.init()
	return s.hardCtx
}

// Reason is the reason of the first Stop, or "" before it.
func (s *Stopper) Reason() string {
	r, _ := s.reason.Load().(string)
	return r
}

// Begin starts the wall clock of the run at start, and turns the
// cancellation of ctx (the first Ctrl-C) into an interruption. The returned
// function releases what Begin holds.
func (s *Stopper) Begin(ctx context.Context, start time.Time) func() {
	s.init()
	done := make(chan struct{})
	release := func() { close(done) }
	if s.Duration > 0 {
		s.deadline = start.Add(s.Duration)
		t := time.AfterFunc(time.Until(s.deadline), func() { s.Stop(ReasonDuration, false) })
		prev := release
		release = func() { t.Stop(); prev() }
	}
	if s.HardStop != nil {
		unwatch := context.AfterFunc(s.HardStop, func() { s.Stop(ReasonInterrupted, true) })
		prev := release
		release = func() { unwatch(); prev() }
	}
	go func() {
		select {
		case <-ctx.Done():
			s.Stop(ReasonInterrupted, false)
		case <-s.stopCh:
		case <-done:
		}
	}()
	return release
}

// Expired reports whether the wall-clock bound has passed at now.
func (s *Stopper) Expired(now time.Time) bool {
	return !s.deadline.IsZero() && !now.Before(s.deadline)
}

// Arrivals returns a context that ends at the first Stop (the wall-clock
// bound is one): waits for a slot or for the rate limit use it, so that
// none outlasts a stop.
func (s *Stopper) Arrivals() (context.Context, context.CancelFunc) {
	s.init()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-s.stopCh:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// Drain waits until the visits in flight are over (wait returns). Before
// a stop they just finish; from the stop on they get the grace period, and
// then they are cancelled (a hard stop) and Drain waits for them to count
// what they did not send. inflight is for the log line.
func (s *Stopper) Drain(wait func(), inflight func() int64) {
	s.init()
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	if s.Grace < 0 {
		<-done
		return
	}
	select {
	case <-done:
		return
	case <-s.stopCh:
	}
	if s.Grace == 0 {
		select {
		case <-done:
		default:
			s.Logf("no grace period: cancelling %d visits in flight", inflight())
			s.hard()
			<-done
		}
		return
	}
	t := time.NewTimer(s.Grace)
	defer t.Stop()
	select {
	case <-done:
	case <-s.hardCtx.Done():
		<-done
	case <-t.C:
		s.Logf("grace period of %s over: cancelling %d visits in flight", s.Grace, inflight())
		s.hard()
		<-done
	}
}
