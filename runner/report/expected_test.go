package report_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func figures(visits int64, country string) kind.Figures {
	return kind.Figures{Visits: visits, UniqueVisitors: visits, Actions: 3 * visits, Pageviews: 3 * visits,
		Orders: 1, RevenueCents: 999, Countries: map[string]int64{country: visits}}
}

// Adding expected figures adds the same date's figures, inserts the other
// dates in order, joins the samples by visitor id and sums the rest.
func TestExpectedAddByDate(t *testing.T) {
	a := &report.Expected{Timezone: "Asia/Tokyo", UnknownHits: 2, SampleSize: 2,
		Days:   []report.ExpectedDay{{Date: "2026-10-24", Figures: figures(2, "de")}, {Date: "2026-10-26", Figures: figures(1, "fr")}},
		Sample: []kind.LiveVisit{{VisitorID: "00000000000000bb"}, {VisitorID: "00000000000000dd"}}}
	b := &report.Expected{Timezone: "Asia/Tokyo", UnknownHits: 3, SampleSize: 2,
		Days:   []report.ExpectedDay{{Date: "2026-10-23", Figures: figures(4, "de")}, {Date: "2026-10-26", Figures: figures(5, "fr")}},
		Sample: []kind.LiveVisit{{VisitorID: "00000000000000aa"}, {VisitorID: "00000000000000cc"}}}
	a.Add(b)
	var dates []string
	for _, d := range a.Days {
		dates = append(dates, d.Date)
	}
	if !reflect.DeepEqual(dates, []string{"2026-10-23", "2026-10-24", "2026-10-26"}) {
		t.Fatalf("dates %v", dates)
	}
	want26 := figures(6, "fr")
	want26.Orders, want26.RevenueCents = 2, 1998
	if !reflect.DeepEqual(a.Days[2].Figures, want26) {
		t.Errorf("2026-10-26 %+v, want %+v", a.Days[2].Figures, want26)
	}
	if a.Total.Visits != 12 || a.Total.Countries["de"] != 6 || a.Total.Orders != 4 || a.UnknownHits != 5 || a.SampleSize != 4 {
		t.Errorf("total %+v, unknown %d, sample size %d", a.Total, a.UnknownHits, a.SampleSize)
	}
	var ids []string
	for _, v := range a.Sample {
		ids = append(ids, v.VisitorID)
	}
	if !reflect.DeepEqual(ids, []string{"00000000000000aa", "00000000000000bb", "00000000000000cc", "00000000000000dd"}) {
		t.Errorf("sample %v", ids)
	}
	b.Days[0].Countries["de"] = 100 // a inserted a copy of b's day
	if a.Days[0].Countries["de"] != 4 {
		t.Errorf("Add shares b's maps")
	}
}

// A run report carries expected figures for each target, and the total's
// are their sum without a sample.
func TestRunReportHasExpectedFigures(t *testing.T) {
	r := realReport(t)
	var sum report.Expected
	for _, tg := range r.Targets {
		e := tg.Expected
		if e == nil || e.Timezone != "UTC" || len(e.Days) == 0 || e.SampleSize != 50 || int64(len(e.Sample)) != min(50, e.Total.Visits) {
			t.Fatalf("target %s: expected figures missing or a sample of the wrong size", tg.Name)
		}
		if e.Total.Visits != tg.Counters.Sent.Visits || e.Total.Orders != tg.Counters.Sent.Orders || e.UnknownHits != tg.Counters.Unknown {
			t.Errorf("target %s: expected total %+v against sent %+v", tg.Name, e.Total, tg.Counters.Sent)
		}
		s := *e
		s.Sample, s.SampleSize = nil, 0
		sum.Add(&s)
	}
	tot := r.Total.Expected
	if tot == nil || !reflect.DeepEqual(tot.Days, sum.Days) || len(tot.Sample) != 0 || tot.SampleSize != 0 {
		t.Errorf("total's expected %+v, want the targets' days %+v", tot, sum.Days)
	}
}

// A v2 report is read as it is and merges with a v3 one into a v3 report
// whose expected figures are the v3 part's.
func TestV2ReportIsReadAndMerged(t *testing.T) {
	data, err := os.ReadFile("../../schema/testdata/report.v2.json")
	if err != nil {
		t.Fatal(err)
	}
	old, err := report.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if old.Version != report.VersionV2 || old.Targets[0].Expected != nil {
		t.Fatalf("v2 report read as version %q with expected %v", old.Version, old.Targets[0].Expected)
	}
	cur := realReport(t)
	// The reference file holds an earlier run of the same test scenario.
	old.Run.ID, old.Scenario.Digest = "older", cur.Scenario.Digest
	m, err := report.Merge([]report.Input{{Source: "old.json", Report: old}, {Source: "new.json", Report: cur}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != report.Version {
		t.Errorf("merged version %q", m.Version)
	}
	for i, tg := range m.Targets {
		if !reflect.DeepEqual(tg.Expected, cur.Targets[i].Expected) {
			t.Errorf("target %s: merged expected is not the v3 part's", tg.Name)
		}
	}
	if !reflect.DeepEqual(m.Total.Expected, cur.Total.Expected) {
		t.Errorf("merged total's expected %+v, want %+v", m.Total.Expected, cur.Total.Expected)
	}
}
