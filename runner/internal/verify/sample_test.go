package verify

import (
	"context"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func pv(url string, ts int64) kind.LiveAction {
	return kind.LiveAction{Type: kind.LivePageview, URL: url, Timestamp: ts}
}

func visit(id string, actions ...kind.LiveAction) kind.LiveVisit {
	return kind.LiveVisit{VisitorID: id, First: actions[0].Timestamp, Last: actions[len(actions)-1].Timestamp, Actions: actions}
}

func TestCompareVisitNamesTheFirstDifference(t *testing.T) {
	const t0 = 1_772_000_000
	search := kind.LiveAction{Type: kind.LiveSearch, URL: "https://s/?q=x", Keyword: "shoes", Timestamp: t0 + 20}
	event := kind.LiveAction{Type: kind.LiveEvent, URL: "https://s/a", EventCategory: "video", EventAction: "play", Timestamp: t0 + 30}
	order := kind.LiveAction{Type: kind.LiveOrder, OrderID: "r1-7", RevenueCents: 4599, Timestamp: t0 + 40}
	want := visit("00aa", pv("https://s/a", t0), search, event, order)
	otherKeyword, otherCategory, otherRevenue := search, event, order
	otherKeyword.Keyword = "boots"
	otherCategory.EventCategory = "audio"
	otherRevenue.RevenueCents = 4598
	cases := []struct {
		name string
		got  []kind.LiveVisit
		diff string
	}{
		{"same", []kind.LiveVisit{want}, ""},
		{"none", nil, "missing visit: Matomo has no visit of this visitor over the run's days"},
		{"another time", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0+7200))},
			"missing visit: Matomo has 1 visit(s) of this visitor, none from 2026-02-25T06:13:20Z to 2026-02-25T06:14:00Z"},
		{"split", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), search), visit("00aa", event, order)}, "split into 2 visits"},
		{"a returning visit apart", []kind.LiveVisit{visit("00aa", pv("https://s/z", t0-3600)), want}, ""},
		{"missing last", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), search, event)}, `missing action at position 4: ecommerceOrder "r1-7"`},
		{"missing middle", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), event, order)}, `missing action at position 2: search "shoes"`},
		{"extra (merged)", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), pv("https://s/b", t0+10), search, event, order)}, "extra action at position 2: action https://s/b"},
		{"extra at the end", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), search, event, order, pv("https://s/c", t0+50))}, "extra action at position 5: action https://s/c"},
		{"url", []kind.LiveVisit{visit("00aa", pv("https://s/b", t0), search, event, order)}, `different url at position 1: sent "https://s/a", recorded "https://s/b"`},
		{"keyword", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), otherKeyword, event, order)}, `different keyword at position 2: sent "shoes", recorded "boots"`},
		{"category", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), search, otherCategory, order)}, `different event category at position 3: sent "video", recorded "audio"`},
		{"revenue", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), search, event, otherRevenue)}, `different revenue (cents) at position 4: sent "4599", recorded "4598"`},
		{"order", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), event, search, order)}, `different order at position 2: search "shoes" was recorded at position 3`},
		{"type", []kind.LiveVisit{visit("00aa", pv("https://s/a", t0), search, event, kind.LiveAction{Type: kind.LiveDownload, URL: "https://s/f.pdf", Timestamp: t0 + 40})},
			`different type at position 4: sent "ecommerceOrder", recorded "download"`},
	}
	for _, c := range cases {
		if got := compareVisit(want, c.got); got != c.diff {
			t.Errorf("%s: got %q\nwant %q", c.name, got, c.diff)
		}
	}
}

func TestVerifyReportsSampleMismatches(t *testing.T) {
	const t0 = 1_772_000_000
	a := visit("00000000000000aa", pv("https://s/a", t0), pv("https://s/b", t0+5))
	b := visit("00000000000000bb", pv("https://s/c", t0+100))
	c := visit("00000000000000cc", pv("https://s/d", t0+200))
	merged := visit("00000000000000aa", pv("https://s/a", t0), pv("https://s/c", t0+3), pv("https://s/b", t0+5))
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}, days: map[string]kind.Figures{"2026-02-25": figs(3, 4, nil)},
		visits: map[string][]kind.LiveVisit{a.VisitorID: {merged}, c.VisitorID: {c}}}
	exp := expected("UTC", report.ExpectedDay{Date: "2026-02-25", Figures: figs(3, 4, nil)})
	exp.Sample, exp.SampleSize = []kind.LiveVisit{a, b, c}, 3
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: exp}, Options{})
	want := []report.SampleMismatch{
		{VisitorID: "00000000000000aa", Difference: "extra action at position 2: action https://s/c"},
		{VisitorID: "00000000000000bb", Difference: "missing visit: Matomo has no visit of this visitor over the run's days"},
	}
	if v.Status != report.VerifyMismatch || v.SampleChecked != 3 || len(v.SampleMismatches) != 2 || v.SampleMismatches[0] != want[0] || v.SampleMismatches[1] != want[1] {
		t.Errorf("status %s, checked %d, mismatches %+v", v.Status, v.SampleChecked, v.SampleMismatches)
	}
	if api.visitQueries[0] != "00000000000000aa 2026-02-25 2026-02-25" {
		t.Errorf("queries %q", api.visitQueries)
	}
	// --verify-sample bounds how many are compared.
	api.visitQueries = nil
	v = Verify(context.Background(), Target{Name: "m", API: api, Expected: exp}, Options{Sample: 1})
	if v.SampleChecked != 1 || len(api.visitQueries) != 1 {
		t.Errorf("checked %d, %d queries", v.SampleChecked, len(api.visitQueries))
	}
}

func TestSettleWaitsForStableCounters(t *testing.T) {
	api := &fakeAPI{counters: []kind.LiveCounters{{Visits: 5}, {Visits: 8}, {Visits: 9}, {Visits: 9}}}
	slept := 0
	sleep := func(context.Context, time.Duration) error { slept++; return nil }
	c, ok := Settle(context.Background(), api, 5, time.Minute, time.Millisecond, sleep)
	if !ok || c.Visits != 9 || slept != 3 {
		t.Errorf("counters %+v, settled %v after %d sleeps", c, ok, slept)
	}
	api = &fakeAPI{counters: []kind.LiveCounters{{Visits: 1}, {Visits: 2}, {Visits: 3}, {Visits: 4}, {Visits: 5}, {Visits: 6}, {Visits: 7}}}
	_, ok = Settle(context.Background(), api, 5, 30*time.Millisecond, 10*time.Millisecond, SleepCtx)
	if ok {
		t.Error("counters that keep changing settled")
	}
}
