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
