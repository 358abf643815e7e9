package exec

import (
	"context"
	"sync"
	"time"
)

// visitRun is a visit in flight on the realtime path. It owns no goroutine
// while it waits: a pause is a timer whose function sends the next hits.
// With long pauses almost every visit in flight is waiting, and a goroutine
// per visit would hold a stack grown by the HTTP client (8 KiB or more)
// through every pause: 10,000 visits in flight cost about 80 MiB of stacks
// that way, and only their jobs and timers this way.
type visitRun struct {
	e    *Executor
	ctx  context.Context
	t    *Target
	job  Job
	next int    // index of the next hit to send
	done func() // releases the visit's slot; called exactly once
	// outs are the outcomes of the hits sent, for the report's sent
	// figures; short visits keep them in buf, without an allocation.
	outs []HitOutcome
	buf  [24]HitOutcome

	// While a pause is pending, armed is true; the timer and a
	// cancellation of ctx race for it, and only the winner goes on. mu
	// also keeps both from running before wait has set them up.
	mu        sync.Mutex
	armed     bool
	timer     *time.Timer
	stopAfter func() bool // unregisters the cancellation callback
}

// startVisit builds visit n and sends its hits on a worker, which is free
// again at the visit's first pause.
func (e *Executor) startVisit(ctx context.Context, t *Target, n uint64, now time.Time, done func()) {
	e.workers.do(func() {
		v := &visitRun{e: e, ctx: ctx, t: t, job: t.Build(n, now), done: done}
		if len(v.job.Hits) <= len(v.buf) {
			v.outs = v.buf[:len(v.job.Hits)]
		} else {
			v.outs = make([]HitOutcome, len(v.job.Hits))
		}
		t.Recorder.RecordVisit()
		v.run(false)
	})
}

// run sends hits in order until a pause is due, then arms the timer and
// returns; paused says that the pause before v.next is over.
func (v *visitRun) run(paused bool) {
	hits := v.job.Hits
	for v.next < len(hits) {
		i := v.next
		if p := hits[i].Pause; p > 0 && i > 0 && !paused {
			v.wait(p)
			return
		}
		paused = false
		if v.ctx.Err() != nil {
			v.stop()
			return
		}
		v.next = sendNext(v.ctx, v.t, &v.job, i, v.outs)
	}
	v.finish()
}

// finish ends the visit: its funnel is counted, its job released and its
// slot freed.
func (v *visitRun) finish() {
	recordFunnel(v.t, &v.job, v.next)
	recordSent(v.t, &v.job, v.outs)
	v.job.release()
	v.done()
}

// wait arms the pause: when it ends the next hits are sent from the
// timer's goroutine; if ctx is cancelled first the rest is counted unsent.
func (v *visitRun) wait(d time.Duration) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.armed = true
	v.timer = time.AfterFunc(d, v.fired)
	v.stopAfter = context.AfterFunc(v.ctx, v.cancelled)
}

// disarm reports whether the caller won the race for the pending pause.
func (v *visitRun) disarm() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	won := v.armed
	v.armed = false
	return won
}

func (v *visitRun) fired() {
	if v.disarm() {
		v.stopAfter() // else the registration lives as long as ctx
		v.e.workers.do(func() { v.run(true) })
	}
}

func (v *visitRun) cancelled() {
	if v.disarm() {
		v.timer.Stop()
		v.stop()
	}
}

// stop counts the hits not sent and ends the visit.
func (v *visitRun) stop() {
	v.t.Recorder.RecordUnsent(len(v.job.Hits) - v.next)
	v.finish()
}
