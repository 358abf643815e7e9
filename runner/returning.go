package runner

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// visitConfig is the visit model of target pt as the run generates it:
// the plan's, with, in a backfill with returning visitors, the visits'
// planned times from the backfill's own placement.
func visitConfig(p *plan.Plan, pt *plan.Target, pages []catalog.Page, runID string) (*visit.Config, error) {
	cfg, err := p.VisitConfig(pt, pages, runID)
	if err != nil || cfg.Returning == nil || p.Backfill == nil {
		return cfg, err
	}
	cfg.Returning.Span = backfillSpan(p)
	return cfg, nil
}

// backfillSpan is the planned first and last hit of a backfill visit: the
// start Place gives it in its day (placeVisit), without the "not after
// now" bound of today, which only the current hour of today can feel.
func backfillSpan(p *plan.Plan) func(v *visit.Visit) (time.Time, time.Time) {
	days := make(map[uint64]plan.Day, len(p.Backfill.Days))
	for _, d := range p.Backfill.Days {
		days[d.First/plan.DayStride] = d
	}
	seed := p.Seed
	return func(v *visit.Visit) (time.Time, time.Time) {
		day, ok := days[v.Index/plan.DayStride]
		if !ok {
			return time.Time{}, time.Time{} // not a visit of the run: never far enough apart
		}
		ws, we := placeWindow(day, v.Duration, placeDraw(seed, v.Index))
		start, err := v.PlacedStart(ws, we, day.End)
		if err != nil {
			return time.Time{}, time.Time{}
		}
		return start, start.Add(v.Duration)
	}
}
