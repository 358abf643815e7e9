package plan

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// DayStride is the room each calendar day has in the visit numbering: the
// visits of a day are DayStride × (days since 1970-01-01) + 0, 1, 2 …, so a
// date's visits are the same whatever window it is part of (and --resume
// finds them again when a relative window has moved on). It is also the
// most visits one day can have.
const DayStride = 1_000_000_000

// DefaultHourlyWeights is the daily curve of backfill when the scenario
// gives none: quiet nights, a morning rise, busy afternoons and a slow
// evening decline (relative weights of local hours 0 … 23).
var DefaultHourlyWeights = [24]float64{
	0.20, 0.12, 0.08, 0.06, 0.06, 0.10, 0.25, 0.50,
	0.80, 1.00, 1.10, 1.15, 1.10, 1.15, 1.25, 1.30,
	1.30, 1.20, 1.05, 0.95, 0.85, 0.70, 0.50, 0.30,
}

// Backfill is the compiled backfill window: one entry per local day.
type Backfill struct {
	Days   []Day   `json:"days"`
	Visits int64   `json:"visits"`
	RPS    float64 `json:"rps"` // visits started per second; 0: no limit
	// AutoRPS (rps: auto) searches the fastest rate the target sustains;
	// RPS is then 0 (apply --max-rps sets the ceiling).
	AutoRPS       bool        `json:"auto_rps,omitempty"`
	RequestsPerS  float64     `json:"requests_per_s"`
	HourlyWeights [24]float64 `json:"hourly_weights"`
	Invalidate    bool        `json:"invalidate"`
	// Now is the moment the plan was made; no cdt may be after it, so today
	// (when in the window) gets the share of its curve that has passed.
	Now time.Time `json:"-"`
}

// Day is one local calendar day of the window.
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD in the scenario's timezone
	// Start and End are the UTC instants of local midnight and the next
	// one: 23 or 25 hours apart on the days clocks change.
	Start  time.Time `json:"-"`
	End    time.Time `json:"-"`
	Hours  float64   `json:"hours"`
	Visits int64     `json:"visits"`
	// First is the index of the day's first visit, DayStride × the days
	// since 1970-01-01: a seed gives the same visits for a date in any
	// window.
	First uint64 `json:"first_visit"`
	// Slots are the real hours of the day with the local hour each shows
	// on the clock (a fall-back day has one local hour twice).
	Slots []HourSlot `json:"-"`
}

// HourSlot is one real hour of a day.
type HourSlot struct {
	Start     time.Time
	LocalHour int
	Full      float64 // the curve's weight of this local hour (pro rata when the day ends within the hour)
	Weight    float64 // Full, less the part of the hour after Now
}

// compileBackfill lays out the days of a backfill run.
func (p *Plan) compileBackfill(s *scenario.Scenario, now time.Time) {
	b := s.Run.Backfill
	if p.Mode != "backfill" || b == nil {
		return
	}
	bf := &Backfill{RPS: b.RPS.PerSecond, AutoRPS: b.RPS.Auto, Invalidate: b.Invalidate, HourlyWeights: DefaultHourlyWeights, Now: now}
	if len(b.HourlyWeights) == 24 {
		copy(bf.HourlyWeights[:], b.HourlyWeights)
	}
	if sum := sumCurve(bf.HourlyWeights); !(sum > 0) {
		// A curve without weight has no hour to place a visit in.
		for h := range bf.HourlyWeights {
			bf.HourlyWeights[h] = 1
		}
		p.Warnings = append(p.Warnings, scenario.Diagnostic{
			File: p.File, Severity: scenario.SeverityWarning, Path: "/run/backfill/hourly_weights",
			Message: "hourly_weights add up to 0: visits are spread uniformly over the day instead",
		}.At(s.Source.Pos("/run/backfill/hourly_weights", true)))
	}
	w := scenario.ResolveWindow(b, p.location, now)
	perDay := b.VisitsPerDay
	remaining := b.MaxVisits
	for d := w.From; !d.After(w.To); d = d.AddDate(0, 0, 1) {
		day := p.makeDay(d, bf, now)
		day.First = uint64(max(0, d.Unix()/86400)) * DayStride
		day.Visits = min(dayVisits(perDay, d, p.Seed), DayStride)
		if full := sumWeights(day.Slots, false); full > 0 {
			// Today counts only the part of its curve that has passed.
			day.Visits = int64(math.Round(float64(day.Visits) * sumWeights(day.Slots, true) / full))
		} else {
			// The curve's weight is all in hours this day lacks (02:00 on
			// the day clocks go forward): no hour to place a visit in.
			day.Visits = 0
		}
		if b.MaxVisits > 0 {
			day.Visits = min(day.Visits, remaining)
			remaining -= day.Visits
		}
		bf.Visits += day.Visits
		bf.Days = append(bf.Days, day)
	}
	p.Backfill = bf
}

// makeDay computes the real hours of local day d, DST included.
func (p *Plan) makeDay(d time.Time, bf *Backfill, now time.Time) Day {
	loc := p.location
	start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	day := Day{Date: d.Format("2006-01-02"), Start: start.UTC(), End: end.UTC(), Hours: end.Sub(start).Hours()}
	for t := start; t.Before(end); t = t.Add(time.Hour) {
		h := t.In(loc).Hour()
		// The last hour is shorter on a day that a half-hour clock change
		// (Australia/Lord_Howe) leaves 23.5 or 24.5 hours long.
		span := min(time.Hour, end.Sub(t))
		full := bf.HourlyWeights[h] * span.Hours()
		w := full
		if passed := now.Sub(t); passed < span {
			w = bf.HourlyWeights[h] * max(0, passed.Hours()) // the part of this hour that has passed
		}
		day.Slots = append(day.Slots, HourSlot{Start: t.UTC(), LocalHour: h, Full: full, Weight: w})
	}
	return day
}

func sumCurve(c [24]float64) float64 {
	total := 0.0
	for _, w := range c {
		total += w
	}
	return total
}

// sumWeights adds the hours' weights: those that have passed, or the
// whole day's.
func sumWeights(slots []HourSlot, elapsed bool) float64 {
	total := 0.0
	for _, s := range slots {
		if elapsed {
			total += s.Weight
		} else {
			total += s.Full
		}
	}
	return total
}

// dayVisits draws a day's visit count: visits_per_day, or a draw between
// min and max from a stream of the seed and the date (so a day's count
// does not depend on the window around it), times weekend_factor on
// Saturdays and Sundays.
func dayVisits(v *scenario.VisitsPerDay, d time.Time, seed uint64) int64 {
	lo, hi, factor := float64(DefaultBackfillDaily), float64(DefaultBackfillDaily), 1.0
	if v != nil {
		lo, hi = v.Min, v.Max
		if v.WeekendFactor != nil {
			factor = *v.WeekendFactor
		}
	}
	n := lo
	if hi > lo {
		r := rand.New(rand.NewPCG(seed, uint64(d.Unix())))
		n = lo + r.Float64()*(hi-lo)
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		n *= factor
	}
	return int64(math.Round(n))
}
