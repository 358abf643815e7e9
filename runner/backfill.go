package runner

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/runner/report"
)

// backfill replays the plan's days oldest first. Within a day, visits are
// placed on the day's curve and sent in the order of their first hit, each
// visit's hits oldest first, with no real pauses; a visit waits for a free
// slot and the rps limit rather than being dropped. Between days the
// requests in flight are drained so that every day's figures are exact,
// which is what makes --resume possible.
type backfill struct {
	rt      *runtime
	closed  *exec.Closed
	cfgs    []*visit.Config
	started time.Time
	// stop is the machinery the realtime executor uses too: signals,
	// aborts, run.max_visits, run.duration and the grace period act the
	// same way in both modes.
	stop      exec.Stopper
	maxVisits int64 // run.max_visits: visits started by this run; 0: no limit
	begun     int64 // visits started so far
	flight    atomic.Int64
	logf      func(string, ...any)
	// jw is the journal: the resume state and the day rows' accounting.
	jw            *journal.Writer
	resendUnknown bool
	// resumed: the journal holds earlier attempts, whose account the
	// report carries (backfill_carry.go).
	resumed bool
	shard   *Shard    // nil: every visit
	auto    *autoRate // rps: auto; nil for a fixed rps
}

// AutoLimit is the visits rps: auto allows in flight now; 0 without it.
func (b *backfill) AutoLimit() int {
	if b.auto == nil {
		return 0
	}
	return b.auto.lim.Limit()
}

// Stop implements controller.
func (b *backfill) Stop(reason string, hard bool) { b.stop.Stop(reason, hard) }

// Started implements controller.
func (b *backfill) Started() time.Time { return b.started }

// InFlight implements controller.
func (b *backfill) InFlight() int64 { return b.flight.Load() }

// Stopping implements controller.
func (b *backfill) Stopping() <-chan struct{} { return b.stop.Stopping() }

// runBackfill runs p.Backfill, journalling every hit in jw; a journal
// resumed (opts.Resume) already holds what an earlier run delivered, and
// only the rest is sent.
func runBackfill(ctx context.Context, rt *runtime, opts Options, jw *journal.Writer) (exec.Outcome, []report.DayRow, *gate, *series) {
	p := rt.plan
	b := &backfill{rt: rt, logf: opts.Logf, started: time.Now(), maxVisits: p.Stop.MaxVisits,
		jw: jw, resendUnknown: opts.ResendUnknown, shard: opts.Shard, resumed: opts.Resume != nil}
	b.stop.Grace, b.stop.Duration, b.stop.HardStop, b.stop.Logf = opts.Grace, p.Stop.Duration.D(), opts.HardStop, opts.Logf
	release := b.stop.Begin(ctx, b.started)
	defer release()
	hardCtx := b.stop.Hard()
	b.auto = newAutoRate(p.Backfill, opts.MaxRPS, b.started)
	b.closed = &exec.Closed{Targets: rt.execTargets, Concurrency: p.Concurrency, RPS: backfillRPS(p.Backfill, opts.MaxRPS), BulkWait: bulkWait(p.Backfill),
		Journal: execJournal{w: jw, once: new(sync.Once), failed: func(err error) {
			b.logf("%v: stopping the run, nothing more is sent (a hit is sent only once journalled)", err)
			b.Stop(exec.ReasonAborted, false)
		}}}
	if b.auto != nil {
		b.closed.Limiter = b.auto.lim
	}
	b.closed.Start(hardCtx)
	for _, et := range rt.execTargets {
		b.cfgs = append(b.cfgs, rt.configs[et.Name])
	}
	stop, cancelStop := b.stop.Arrivals()
	defer cancelStop()

	g := newGate(rt, b, opts.Logf)
	ser := newSeries(b.started)
	src := newLiveSource(rt, g, opts.RunID)
	if opts.Live != nil {
		opts.Live(src)
	}
	stopTicker := rt.tick(b, g, ser, opts)
	rows := make([]report.DayRow, 0, len(p.Backfill.Days))
	var arrivals int64
	for k, day := range p.Backfill.Days {
		if stop.Err() != nil {
			// Not reached: the rows still say what the journal has, and
			// the targets count what earlier attempts sent of them.
			for _, d := range p.Backfill.Days[k:] {
				b.carryDay(d)
				b.advanceRouter(d)
				rows = append(rows, b.tally(d))
			}
			break
		}
		b.carryDay(day)
		if row := b.tally(day); !dayLeft(row, b.resendUnknown) {
			row.Resumed = row.Delivered+row.RejectedVisits+row.UnknownVisits > 0
			rows = append(rows, row)
			b.advanceRouter(day)
			continue
		}
		arrivals += b.runDay(stop, hardCtx, day)
		row := b.tally(day)
		rows = append(rows, row)
		b.logf("backfill day %s: %d of %d visits delivered, %d undelivered", day.Date, row.Delivered, day.Visits, row.Undelivered)
		if err := b.jw.MaybeCompact(); err != nil {
			b.logf("the journal cannot be written, stopping: %v", err)
			b.Stop(exec.ReasonInterrupted, false)
		}
	}
	stopTicker()
	end := time.Now()
	reason := b.stop.Reason()
	if reason == "" {
		reason = exec.ReasonCompleted
	}
	out := exec.Outcome{Reason: reason, Start: b.started, ArrivalsEnd: end, End: end, Arrivals: arrivals}
	if b.auto != nil {
		rt.auto = b.auto.result(end)
	}
	src.finish(out.End.Sub(out.Start))
	ser.finish(end, rt)
	g.final(out)
	return out, rows, g, ser
}

// tally is the row of day as the journal has it now.
func (b *backfill) tally(day plan.Day) report.DayRow {
	var row report.DayRow
	b.jw.View(func(st *journal.State) { row = tallyDay(st, day, shardVisits(b.shard, day)) })
	return row
}

// skip reports whether visit idx is another shard's, or the journal has
// nothing left to send of it. Another shard's visits are still routed
// (dayStream replays the router over every index), so each visit goes to
// the target it goes to in the whole run.
func (b *backfill) skip(idx uint64) bool {
	if !owns(b.shard, idx) {
		return true
	}
	left := true
	b.jw.View(func(st *journal.State) { left, _ = pending(st, idx, b.resendUnknown) })
	return !left
}

// backfillRPS is the cap on visits started per second: the scenario's
// rps (none with auto) and apply --max-rps, the lower of those set.
func backfillRPS(bf *plan.Backfill, maxRPS float64) float64 {
	r := bf.RPS
	if bf.AutoRPS {
		r = 0
	}
	if maxRPS > 0 && (r == 0 || maxRPS < r) {
		r = maxRPS
	}
	return r
}

// bulkWait is how long a bulk batch waits for more hits. Without an rps
// limit batches fill at once but for the last one of each day, which the
// drain between days would otherwise wait the realtime default for (a
// fifth of a second a day); with one, the default gathers more hits per
// request at the pace the limit sets.
func bulkWait(bf *plan.Backfill) time.Duration {
	if bf.RPS > 0 {
		return 0 // the executor's default
	}
	return 20 * time.Millisecond
}

// job is one visit of a day, ready to send.
type job struct {
	index  uint64
	target int
	start  time.Time
	job    exec.Job
}

// runDay sends what is left of one day's visits (the journal has the
// rest) and returns how many visits were started; their outcomes go to
// the journal. The day is generated as a stream (dayStream): memory does
// not grow with its size.
func (b *backfill) runDay(stop, hardCtx context.Context, day plan.Day) int64 {
	var started int64
	b.newDayStream(day, b.skip, stop.Done()).each(func(j job) bool {
		if b.maxVisits > 0 && b.begun >= b.maxVisits {
			b.Stop(exec.ReasonMaxVisits, false)
			return false
		}
		b.flight.Add(1)
		err := b.closed.Submit(stop, hardCtx, j.target, j.job, func(exec.Delivery) {
			b.flight.Add(-1)
		})
		if err != nil {
			b.flight.Add(-1)
			return false
		}
		started++
		b.begun++
		if b.auto != nil {
			b.auto.started(time.Now())
		}
		return true
	})
	// After a stop the visits in flight get the grace period, then their
	// requests are cancelled: a target that never answers cannot hold the
	// run past it.
	b.stop.Drain(b.closed.Drain, b.flight.Load)
	return started
}

// makeJob generates, places and encodes the visit of j; of a visit the
// journal has cut short, only the hits left to send are kept.
func (b *backfill) makeJob(day plan.Day, j *job, seed uint64, notAfter time.Time) error {
	v := visit.Generate(b.cfgs[j.target], seed, j.index)
	if err := placeVisit(day, v, seed, notAfter); err != nil {
		return err
	}
	enc := encodeJob(b.rt.encoders[j.target], v)
	b.rt.samplers[j.target].attach(&enc, v, j.index)
	// A backfill job may be kept past the end of its visit (journal,
	// resume): its payloads keep their own memory.
	enc.Release = nil
	v.Release()
	for k := range enc.Hits {
		enc.Hits[k].Pause = 0 // simulated time only
	}
	enc.Visit = j.index
	var prior []journal.Outcome
	b.jw.View(func(st *journal.State) { prior = st.Hits(j.index) })
	var keep []bool
	if prior != nil {
		if len(prior) != len(enc.Hits) {
			return fmt.Errorf("the journal has %d hits for it, the plan %d: not the journal of this plan", len(prior), len(enc.Hits))
		}
		keep = toSend(prior, len(enc.Hits), b.resendUnknown)
		priorRecorded(&enc, prior)
		if keep != nil {
			outs := make([]exec.HitOutcome, len(prior))
			for i, o := range prior {
				outs[i] = hitOutcome(o)
			}
			retaken := accountOf(&enc, outs, keep)
			enc.Retaken = &retaken
		}
	}
	trimJob(&enc, keep)
	j.start, j.job = v.Start, enc
	return nil
}

// advanceRouter consumes the router picks of a day that is skipped, so
// that the next days route as in the original run.
func (b *backfill) advanceRouter(day plan.Day) {
	for i := int64(0); i < day.Visits; i++ {
		b.rt.router.Next()
	}
}

// placeVisit places visit v of day: its hour drawn from the day's curve
// with a stream of its own (so the same seed places it the same way at any
// concurrency), and no cdt after notAfter.
func placeVisit(day plan.Day, v *visit.Visit, seed uint64, notAfter time.Time) error {
	ws, we := placeWindow(day, v.Duration, placeDraw(seed, v.Index))
	return v.Place(ws, we, notAfter)
}

// placeWindow picks the hour of a visit from the day's curve with u, a
// uniform draw in [0, 1), and returns the window the visit must fit in:
// that hour, widened within the day when the visit does not fit in it.
// Place keeps every cdt, in whole seconds, before the window's end, so a
// visit needs its duration and one second more: a window of exactly its
// duration would put the first hit a second before the window, which is
// the previous day in the first hour.
func placeWindow(day plan.Day, dur time.Duration, u float64) (time.Time, time.Time) {
	slot := pickSlot(day.Slots, u)
	ws, we := slot.Start, minTime(slot.Start.Add(time.Hour), day.End)
	if need := dur + time.Second; we.Sub(ws) < need {
		ws = maxTime(day.Start, we.Add(-need))
		we = minTime(day.End, ws.Add(need))
	}
	return ws, we
}

// pickSlot returns the slot that u, uniform in [0, 1), falls in when the
// slots' weights are laid end to end. It never returns a slot without
// weight (an hour of today still to come), not even when rounding leaves
// u × total past the last one.
func pickSlot(slots []plan.HourSlot, u float64) plan.HourSlot {
	return slots[pickSlotIndex(slots, u)]
}

// pickSlotIndex is pickSlot's index in slots.
func pickSlotIndex(slots []plan.HourSlot, u float64) int {
	total := 0.0
	for _, s := range slots {
		total += s.Weight
	}
	x := u * total
	last := len(slots) - 1
	for k, s := range slots {
		if s.Weight <= 0 {
			continue
		}
		if x < s.Weight {
			return k
		}
		x -= s.Weight
		last = k
	}
	return last
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
