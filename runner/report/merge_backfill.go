package report

import (
	"slices"
	"strings"
)

// mergeBackfill adds up the day rows of backfill reports by date: a day is
// complete when every part that sent it completed it. The parts' verdicts
// are kept: an undelivered visit of one part is undelivered in the sum.
func mergeBackfill(in []Input) *BackfillReport {
	var out *BackfillReport
	days := map[string]*DayRow{}
	for _, x := range in {
		b := x.Report.Backfill
		if b == nil {
			continue
		}
		if out == nil {
			out = &BackfillReport{Timezone: b.Timezone, NextSteps: b.NextSteps}
		}
		out.Auto = mergeAuto(out.Auto, b.Auto)
		out.Invalidated = append(out.Invalidated, b.Invalidated...)
		out.Verdicts = append(out.Verdicts, b.Verdicts...)
		for _, d := range b.Days {
			m, ok := days[d.Date]
			if !ok {
				m = &DayRow{Date: d.Date, Complete: true}
				days[d.Date] = m
			}
			m.Planned += d.Planned
			m.Delivered += d.Delivered
			m.Undelivered += d.Undelivered
			m.RejectedVisits += d.RejectedVisits
			m.UnknownVisits += d.UnknownVisits
			m.OK += d.OK
			m.Rejected += d.Rejected
			m.Failed += d.Failed
			m.Unknown += d.Unknown
			m.Unsent += d.Unsent
			m.Complete = m.Complete && d.Complete
			m.Resumed = m.Resumed || d.Resumed
		}
	}
	if out == nil {
		return nil
	}
	for _, d := range days {
		out.Days = append(out.Days, *d)
	}
	slices.SortFunc(out.Days, func(a, b DayRow) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// mergeAuto adds up what rps: auto found in parts that ran side by side
// (the shards of a run): their settled rates, limits, cuts and ceilings
// add up, and the merged run converged when its slowest part did.
func mergeAuto(a, b *AutoRate) *AutoRate {
	if b == nil {
		return a
	}
	if a == nil {
		c := *b
		return &c
	}
	a.SettledRPS += b.SettledRPS
	a.ConvergedS = max(a.ConvergedS, b.ConvergedS)
	a.Limit += b.Limit
	a.Cuts += b.Cuts
	a.MaxRPS += b.MaxRPS
	return a
}
