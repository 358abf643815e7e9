package runner

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Outcomes of a run, in the report and for exit codes.
const (
	OutcomePassed      = "passed"
	OutcomeFailed      = "failed"
	OutcomeAborted     = "aborted"
	OutcomeInterrupted = "interrupted"
)

// report assembles the report from the recorders and the outcome.
func (rt *runtime) report(out exec.Outcome, g *gate, ser *series, opts Options) *report.Report {
	p := rt.plan
	r := &report.Report{
		Version:  report.Version,
		Scenario: report.ScenarioInfo{Name: p.Name, File: p.File, Digest: p.Digest},
	}
	var total metrics.Snapshot
	for _, t := range rt.targets {
		s := t.recorder.Snapshot()
		total.Merge(s)
		rt := report.TargetFrom(t.plan.Name, s)
		rt.Kind, rt.Share = t.plan.Kind, t.plan.Share
		rt.SetDelivery(t.plan.Delivery)
		f := t.plan.Features
		rt.Features = &f
		rt.Health = metrics.HealthOf(t.recorder.Window(time.Minute))
		rt.Series = ser.of(t.plan.Name)
		rt.Expected = report.ExpectedFrom(p.Timezone, t.recorder.Expected(), s.Counters.Unknown)
		if d, ok := g.disabled[t.plan.Name]; ok {
			rt.Disabled = &d
		} else if d, ok := g.rt.preDisabled[t.plan.Name]; ok {
			rt.Disabled = &d
		}
		r.Targets = append(r.Targets, rt)
		if rec, ok := t.target.(kind.Recorder); ok {
			r.Sinks = append(r.Sinks, report.SinkStats{Target: t.plan.Name, Stats: rec.RecordedStats()})
		}
	}
	if total.Latency == nil {
		total.Merge(metrics.Snapshot{})
	}
	r.Total = report.TargetFrom("total", total)
	r.Total.Share = 1
	r.Total.Series = ser.of("")
	r.SumExpected()

	dur := out.End.Sub(out.Start)
	// Rates are over the time arrivals were scheduled, not the drain after.
	active := out.ArrivalsEnd.Sub(out.Start)
	if end := p.Pacer().End(); (out.Reason == exec.ReasonCompleted || out.Reason == exec.ReasonDuration) && end > 0 {
		active = end
	}
	planned := p.Pacer().Expected(active)
	if p.Backfill != nil {
		planned = float64(p.Backfill.Visits)
		if opts.Shard != nil {
			planned = 0
			for _, d := range p.Backfill.Days {
				planned += float64(shardVisits(opts.Shard, d))
			}
		}
	}
	if p.Backfill == nil && opts.Shard != nil {
		// About 1/N of the schedule's visits are this shard's (by hash).
		planned /= float64(opts.Shard.Count)
	}
	r.Run = report.RunInfo{
		ID: opts.RunID, Seed: p.Seed, Mode: p.Mode,
		Start: out.Start.UTC(), End: out.End.UTC(), DurationS: dur.Seconds(),
		StopReason: out.Reason, PlannedVisits: planned, Shard: opts.Shard, Resumed: opts.Resume != nil,
	}
	if s := active.Seconds(); s > 0 {
		r.Run.PlannedRate = planned / s
		r.Run.AchievedRate = float64(out.Arrivals) / s
	}
	for i := range r.Targets {
		pt := rt.targets[i].plan
		r.Targets[i].Planned = compare(planned*pt.Share, pt.Expected, r.Targets[i], active)
	}
	r.Total.Planned = compare(planned, p.Expected, r.Total, active)
	r.Policies = g.engine.Firings()
	r.PoliciesDefined = report.DefinedPolicies(p.Policies)
	switch {
	case out.Reason == exec.ReasonInterrupted:
		r.Run.Outcome, r.Run.ExitCode = OutcomeInterrupted, 130
	case out.Reason == exec.ReasonAborted, out.Reason == exec.ReasonNoTarget, g.engine.Aborted():
		r.Run.Outcome, r.Run.ExitCode = OutcomeAborted, 1
	case g.engine.Failed():
		r.Run.Outcome, r.Run.ExitCode = OutcomeFailed, 1
	default:
		r.Run.Outcome = OutcomePassed
	}
	return r
}

// compare sets the planned visits (over the active time) and the hits they
// imply beside what was achieved. Visits achieved are visits due: started
// or dropped, as the arrival schedule counts them. A resumed backfill
// compares the whole job's visits, and the rate of its own.
func compare(plannedVisits float64, e plan.Expected, t report.Target, active time.Duration) report.Comparison {
	c := t.Counters
	out := report.Comparison{
		Visits:     report.Pair{Planned: plannedVisits, Achieved: float64(c.Visits + c.Dropped)},
		HitsByKind: map[string]report.Pair{},
	}
	if s := active.Seconds(); s > 0 {
		own := c.Visits + c.Dropped
		if t.Carried != nil {
			own -= t.Carried.Visits
		}
		out.Rate = report.Pair{Planned: plannedVisits / s, Achieved: float64(own) / s}
	}
	for _, k := range kind.HitKindNames() {
		per := 0.0
		if e.Visits > 0 {
			per = e.HitsByKind[k] / e.Visits
		}
		out.HitsByKind[k] = report.Pair{Planned: per * plannedVisits, Achieved: float64(c.HitsByKind[k])}
	}
	return out
}
