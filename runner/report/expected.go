package report

import (
	"sort"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Expected is what the run's own accounting says Matomo should show for a
// target (docs/reports.md#expected): the figures of each day in Timezone,
// counted from the hits answered ok, and a sample of visits to find one by
// one. Delivery verification (docs/verify.md) compares them with the
// Reporting API. The rules:
//   - a visit counts on the day of its last recorded hit by cdt (pings and
//     orders are no actions, but they move Matomo's visit_last_action_time);
//   - actions are pageviews, site searches, outlinks, downloads and events;
//   - a visitor counts once among a day's unique visitors;
//   - an order counts when its own hit was recorded, its amounts in cents;
//   - a visit resumed from an earlier backfill counts its new actions and
//     orders only: the earlier run's report counted the visit.
//
// Total's Expected adds the targets' days and unknown hits; it has no
// sample.
type Expected struct {
	Timezone string        `json:"timezone"` // the zone of Days: run.timezone
	Days     []ExpectedDay `json:"days"`     // sorted by date, only days with traffic
	Total    kind.Figures  `json:"total"`    // the sum of Days
	// UnknownHits were sent without a known answer: Matomo may show up to
	// this many more actions (and the visits they open).
	UnknownHits int64            `json:"unknown_hits"`
	Sample      []kind.LiveVisit `json:"sample"`      // the sampled visits, sorted by visitor id
	SampleSize  int              `json:"sample_size"` // how many were asked for
}

// ExpectedDay is the expected figures of one day.
type ExpectedDay struct {
	Date string `json:"date"` // YYYY-MM-DD in Expected.Timezone
	kind.Figures
}

// ExpectedFrom turns a recorder's expected figures into the report's;
// unknown is the target's unknown hits. nil gives nil.
func ExpectedFrom(tz string, e *metrics.Expected, unknown int64) *Expected {
	if e == nil {
		return nil
	}
	out := &Expected{Timezone: tz, Days: make([]ExpectedDay, 0, len(e.Days)), UnknownHits: unknown,
		Sample: e.Sample, SampleSize: e.SampleSize}
	for _, d := range e.Days {
		out.Days = append(out.Days, ExpectedDay{Date: d.Date, Figures: d.Figures})
	}
	if out.Sample == nil {
		out.Sample = []kind.LiveVisit{}
	}
	out.sum()
	return out
}

// Add adds o into e: the same date's figures add, the samples are
// joined (sorted by visitor id again) and their sizes added.
func (e *Expected) Add(o *Expected) {
	if o == nil {
		return
	}
	if e.Timezone == "" {
		e.Timezone = o.Timezone
	}
	for _, d := range o.Days {
		i := sort.Search(len(e.Days), func(i int) bool { return e.Days[i].Date >= d.Date })
		if i < len(e.Days) && e.Days[i].Date == d.Date {
			e.Days[i].Figures.Add(d.Figures)
			continue
		}
		var f kind.Figures
		f.Add(d.Figures) // a copy of its maps
		e.Days = append(e.Days, ExpectedDay{})
		copy(e.Days[i+1:], e.Days[i:])
		e.Days[i] = ExpectedDay{Date: d.Date, Figures: f}
	}
	e.UnknownHits += o.UnknownHits
	e.Sample = append(e.Sample, o.Sample...)
	sortSample(e.Sample)
	e.SampleSize += o.SampleSize
	e.sum()
}

// sum sets Total to the sum of Days.
func (e *Expected) sum() {
	e.Total = kind.Figures{}
	for _, d := range e.Days {
		e.Total.Add(d.Figures)
	}
}

// sortSample orders sampled visits by visitor id, a returning visitor's
// visits by their first action.
func sortSample(s []kind.LiveVisit) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := &s[i], &s[j]
		return a.VisitorID < b.VisitorID || a.VisitorID == b.VisitorID && a.First < b.First
	})
}

// SumExpected sets Total's expected figures to the sum of the targets'.
func (r *Report) SumExpected() { r.Total.Expected = totalExpected(r.Targets) }

// totalExpected adds the targets' expected figures, without their
// samples; nil when no target has any.
func totalExpected(ts []Target) *Expected {
	var out *Expected
	for _, t := range ts {
		if t.Expected == nil {
			continue
		}
		if out == nil {
			out = &Expected{Days: []ExpectedDay{}, Sample: []kind.LiveVisit{}}
		}
		o := *t.Expected
		o.Sample, o.SampleSize = nil, 0
		out.Add(&o)
	}
	return out
}
