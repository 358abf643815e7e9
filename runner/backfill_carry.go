package runner

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// A resumed backfill reports the whole job (metrics/carried.go): before a
// day is sent, what the journal holds of its visits from earlier attempts
// is counted on the targets they went to, from the visits generated
// again. The journal has outcomes by hit only; the visit gives the rest
// (hit kinds, orders, country, funnel steps), as it did the first time.

// carryDay counts what earlier attempts sent of day's visits (this
// shard's). It must run before the day is sent, while the journal holds
// only earlier attempts' outcomes of it, and with the router as the day
// begins.
func (b *backfill) carryDay(day plan.Day) {
	if !b.resumed {
		return
	}
	routes := b.rt.router.Clone()
	var todo []job
	b.jw.View(func(st *journal.State) {
		for i := int64(0); i < day.Visits; i++ {
			idx := day.First + uint64(i)
			ti := routes.Next()
			if ti < 0 || !owns(b.shard, idx) {
				continue
			}
			if st.Settled(idx) || st.Hits(idx) != nil {
				todo = append(todo, job{index: idx, target: ti})
			}
		}
	})
	notAfter := time.Now()
	parallel(len(todo), func(k int) { b.carryVisit(day, todo[k], notAfter) })
}

// carryVisit counts one visit of an earlier attempt on its target.
func (b *backfill) carryVisit(day plan.Day, j job, notAfter time.Time) {
	seed := b.rt.plan.Seed
	v := visit.Generate(b.cfgs[j.target], seed, j.index)
	if err := placeVisit(day, v, seed, notAfter); err != nil {
		v.Release()
		return // an earlier attempt could not place it either: it sent none of it
	}
	enc := encodeJob(b.rt.encoders[j.target], v)
	b.rt.samplers[j.target].attach(&enc, v, j.index)
	v.Release()
	var prior []journal.Outcome
	settled := false
	b.jw.View(func(st *journal.State) { settled, prior = st.Settled(j.index), st.Hits(j.index) })
	outs := make([]exec.HitOutcome, len(enc.Hits))
	for i := range outs {
		switch {
		case settled:
			outs[i] = exec.HitOK
		case i < len(prior):
			outs[i] = hitOutcome(prior[i])
		}
	}
	t := b.rt.execTargets[j.target]
	t.Recorder.Carry(accountOf(&enc, outs, nil))
	exec.CarrySent(t, &enc, outs)
	enc.Release()
}

// accountOf is what a visit's hits count on its target: with keep nil,
// every hit by its outcome outs[i] (Carry); with keep, the hits kept to
// send again, by the outcome an earlier attempt left them with (Retake).
// A visit counts once either way, and its funnel by the steps sent.
func accountOf(job *exec.Job, outs []exec.HitOutcome, keep []bool) metrics.Account {
	a := metrics.Account{Visits: 1, Funnel: job.Funnel, FunnelSteps: job.FunnelSteps}
	for i, h := range job.Hits {
		o := outs[i]
		if o != exec.HitUnsent && job.Funnel != "" {
			a.FunnelSent = max(a.FunnelSent, h.Step)
		}
		if keep != nil && !keep[i] {
			continue
		}
		switch o {
		case exec.HitUnsent:
			a.Unsent++
			continue
		case exec.HitOK:
			a.OK++
		case exec.HitRejected:
			a.Rejected++
		case exec.HitFailed:
			a.Failed++
		case exec.HitUnknown:
			a.Unknown++
		}
		a.Hits++
		a.HitsByKind[h.Kind]++
	}
	return a
}
