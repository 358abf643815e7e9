package plan

import (
	"math"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// returning is the returning-visitor model of the plan's visits, nil
// without traffic.returning. A visitor comes back as:
//   - realtime: visit i returns as the visitor of visit i − returnGap, the
//     visit that started enough earlier at the peak rate for the visitor's
//     last hit to be 30 minutes old (visit.MinReturnGap); Span is the
//     visits' planned times on the timeline;
//   - backfill: visit k of a day returns as the visitor of visit k of the
//     day before; the runner sets Span from the backfill's placement.
func (p *Plan) returning() *visit.Returning {
	if p.Traffic.Returning <= 0 {
		return nil
	}
	rt := &visit.Returning{Share: p.Traffic.Returning}
	if bf := p.Backfill; bf != nil {
		visits := make(map[uint64]int64, len(bf.Days))
		for _, d := range bf.Days {
			visits[d.First/DayStride] = d.Visits
		}
		rt.Previous = func(i uint64) (uint64, bool) {
			day, k := i/DayStride, i%DayStride
			if n, ok := visits[day-1]; day == 0 || !ok || int64(k) >= n {
				return 0, false
			}
			return i - DayStride, true
		}
		return rt
	}
	gap := p.returnGap()
	rt.Previous = func(i uint64) (uint64, bool) {
		if gap == 0 || i < gap {
			return 0, false
		}
		return i - gap, true
	}
	origin := time.Unix(0, 0)
	rt.Span = func(v *visit.Visit) (time.Time, time.Time) {
		due, ok := p.pacer.Due(v.Index)
		if !ok {
			due = time.Duration(math.MaxInt64 / 2) // never due: never returns
		}
		last := origin.Add(due)
		return last.Add(-v.Duration), last
	}
	return rt
}

// returnGap is how many visits back a realtime visitor returns from: the
// visits that start in 30 minutes plus the longest visit, at the peak rate,
// and one more; 0 when the timeline has no rate.
func (p *Plan) returnGap() uint64 {
	peak := 0.0
	for _, s := range p.Stages {
		peak = max(peak, s.FromRate, s.ToRate)
	}
	if !(peak > 0) {
		return 0
	}
	span := (visit.MinReturnGap + p.Traffic.DurationMax.D() + time.Second).Seconds()
	return uint64(math.Ceil(peak*span)) + 1
}

// returningVisits is the expected number of returning visits among visits
// (each visitor comes back with the configured share, when the run has an
// earlier visit for it to come back from).
func (p *Plan) returningVisits(visits float64) float64 {
	share := p.Traffic.Returning
	if share <= 0 {
		return 0
	}
	if bf := p.Backfill; bf != nil {
		total := 0.0
		for k := 1; k < len(bf.Days); k++ {
			if bf.Days[k].First-bf.Days[k-1].First == DayStride {
				total += share * float64(min(bf.Days[k].Visits, bf.Days[k-1].Visits))
			}
		}
		return total
	}
	return share * max(0, visits-float64(p.returnGap()))
}
