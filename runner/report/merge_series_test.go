package report_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// Series merge by the bucket a point closes: samples up to a second late
// belong to the bucket that just ended, the last partial point to the
// bucket it falls in. Counts add up, t is the latest, p95 the largest.
func TestMergeSeriesByBucket(t *testing.T) {
	a := reportFrom("r1", digestA, t0, 25*time.Second, named{"x", newRec()})
	b := reportFrom("r2", digestA, t0, 21*time.Second, named{"x", newRec()})
	a.Targets[0].Series = []report.Point{
		{T: 10.004, Visits: 10, Hits: 30, Errors: 1, Dropped: 0, P95Ms: 4},
		{T: 20.2, Visits: 11, Hits: 31, Errors: 0, Dropped: 2, P95Ms: 6},
		{T: 25.1, Visits: 5, Hits: 12, Errors: 0, Dropped: 0, P95Ms: 3},
	}
	b.Targets[0].Series = []report.Point{
		{T: 10.9, Visits: 7, Hits: 20, Errors: 2, Dropped: 1, P95Ms: 5},
		{T: 20.001, Visits: 8, Hits: 21, Errors: 0, Dropped: 0, P95Ms: 2},
		{T: 20.5, Visits: 1, Hits: 2, Errors: 0, Dropped: 0, P95Ms: 9}, // the partial end, still bucket 2
		{T: 0.4, Visits: 1, Hits: 1, Errors: 0, Dropped: 0, P95Ms: 1},  // a very short run's only point: bucket 1
	}
	m, err := report.Merge([]report.Input{{Source: "a", Report: a}, {Source: "b", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	want := []report.Point{
		{T: 10.9, Visits: 18, Hits: 51, Errors: 3, Dropped: 1, P95Ms: 5},
		{T: 20.5, Visits: 20, Hits: 54, Errors: 0, Dropped: 2, P95Ms: 9},
		{T: 25.1, Visits: 5, Hits: 12, Errors: 0, Dropped: 0, P95Ms: 3},
	}
	if got := m.Targets[0].Series; !reflect.DeepEqual(got, want) {
		t.Errorf("series\n got %+v\nwant %+v", got, want)
	}
}

func TestMergeBackfillDays(t *testing.T) {
	a := reportFrom("r1", digestA, t0, time.Second, named{"x", newRec()})
	b := reportFrom("r2", digestA, t0, time.Second, named{"x", newRec()})
	c := reportFrom("r3", digestA, t0, time.Second, named{"x", newRec()})
	a.Backfill = &report.BackfillReport{Timezone: "Europe/Berlin", NextSteps: "archive", Days: []report.DayRow{
		{Date: "2026-02-02", Planned: 10, Delivered: 10, OK: 40, Complete: true},
		{Date: "2026-02-01", Planned: 5, Delivered: 4, Undelivered: 1, OK: 12, Unsent: 3, Complete: false},
	}, Invalidated: []report.Invalidation{{Target: "x", OK: true, Detail: "done"}},
		Verdicts: []report.Verdict{{Name: "undelivered_visits", Message: "1 visit"}},
		Auto:     &report.AutoRate{SettledRPS: 40, ConvergedS: 3, Limit: 20, Cuts: 2, MaxRPS: 50}}
	b.Backfill = &report.BackfillReport{Timezone: "Europe/Berlin", NextSteps: "archive", Days: []report.DayRow{
		{Date: "2026-02-01", Planned: 5, Delivered: 3, RejectedVisits: 1, UnknownVisits: 1, OK: 15, Rejected: 1, Unknown: 2, Complete: true, Resumed: true},
	}, Auto: &report.AutoRate{SettledRPS: 35.5, ConvergedS: 5, Limit: 16, Cuts: 1, MaxRPS: 50}}
	m, err := report.Merge([]report.Input{{Source: "a", Report: a}, {Source: "b", Report: b}, {Source: "c", Report: c}})
	if err != nil {
		t.Fatal(err)
	}
	want := &report.BackfillReport{Timezone: "Europe/Berlin", NextSteps: "archive", Days: []report.DayRow{
		{Date: "2026-02-01", Planned: 10, Delivered: 7, Undelivered: 1, RejectedVisits: 1, UnknownVisits: 1, OK: 27, Rejected: 1, Unknown: 2, Unsent: 3, Complete: false, Resumed: true},
		{Date: "2026-02-02", Planned: 10, Delivered: 10, OK: 40, Complete: true},
	}, Invalidated: []report.Invalidation{{Target: "x", OK: true, Detail: "done"}},
		Verdicts: []report.Verdict{{Name: "undelivered_visits", Message: "1 visit"}},
		// The parts ran side by side: rates, limits, cuts and ceilings
		// add up; the slowest part's convergence is the run's.
		Auto: &report.AutoRate{SettledRPS: 75.5, ConvergedS: 5, Limit: 36, Cuts: 3, MaxRPS: 100}}
	if !reflect.DeepEqual(m.Backfill, want) {
		t.Errorf("backfill\n got %+v\nwant %+v", m.Backfill, want)
	}
	m, _ = report.Merge([]report.Input{{Source: "c", Report: c}})
	if m.Backfill != nil {
		t.Errorf("realtime merge has a backfill part: %+v", m.Backfill)
	}
}
