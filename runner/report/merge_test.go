package report_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// Two reports that each hold half of the requests (the even and the odd
// ones) merge into exactly the report of all of them: counters, every
// percentile, the mean and the histogram itself, per target and in total.
func TestMergeOfHalvesEqualsWhole(t *testing.T) {
	wholeA, wholeB, halfA1, halfB1, halfA2, halfB2 := newRec(), newRec(), newRec(), newRec(), newRec(), newRec()
	fill(wholeA, 0, 3000, all)
	fill(wholeB, 5000, 6500, all)
	fill(halfA1, 0, 3000, even)
	fill(halfA2, 0, 3000, odd)
	fill(halfB1, 5000, 6500, even)
	fill(halfB2, 5000, 6500, odd)
	whole := reportFrom("w", digestA, t0, 10*time.Second, named{"a", wholeA}, named{"b", wholeB})
	first := reportFrom("h1", digestA, t0, 10*time.Second, named{"a", halfA1}, named{"b", halfB1})
	second := reportFrom("h2", digestA, t0, 10*time.Second, named{"a", halfA2}, named{"b", halfB2})

	merged, err := report.Merge([]report.Input{{Source: "h1.json", Report: first}, {Source: "h2.json", Report: second}})
	if err != nil {
		t.Fatal(err)
	}
	if len(merged.Targets) != 2 {
		t.Fatalf("%d targets", len(merged.Targets))
	}
	for i, want := range append(whole.Targets, whole.Total) {
		got := merged.Total
		if i < 2 {
			got = merged.Targets[i]
		}
		if got.Name != want.Name {
			t.Fatalf("target %d is %s, want %s", i, got.Name, want.Name)
		}
		if !reflect.DeepEqual(got.Counters, want.Counters) {
			t.Errorf("%s counters\n got %+v\nwant %+v", want.Name, got.Counters, want.Counters)
		}
		if got.Latency != want.Latency {
			t.Errorf("%s latency\n got %+v\nwant %+v", want.Name, got.Latency, want.Latency)
		}
		if got.Histogram != want.Histogram {
			t.Errorf("%s: the merged histogram differs from the whole run's", want.Name)
		}
	}
	// The figures are what the stream holds, not merely equal to each other.
	c := merged.Total.Counters
	// Every ninth request fails: 334 of 0..2999 and 167 of 5000..6499.
	if c.Requests != 4500 || c.Failed != 501 || c.OK != 3999 || c.Visits != 1500 || c.Retries != 1002 ||
		c.HitsByKind["event"] != 900 || c.Status["500"] != 501 || c.Errors["http_5xx"].Count != 501 {
		t.Errorf("total counters %+v", c)
	}
	// Sent: the visits of 0..2999 and 5000..6499 with i%3 == 0 (1500),
	// but those with i%21 == 0 unrecorded (214): 1286.
	var want metrics.Sent
	for _, i := range append(indexes(0, 3000), indexes(5000, 6500)...) {
		if v := sentVisit(i); i%3 == 0 && v.Recorded {
			want.Visits++
			want.UniqueVisitors++
			want.VisitDurationS += v.DurationS
			want.Orders += v.Orders
			want.RevenueCents += v.Revenue
		}
	}
	s := c.Sent
	if want.Visits != 1286 || s.Visits != want.Visits || s.UniqueVisitors != want.Visits || s.VisitDurationS != want.VisitDurationS ||
		s.Orders != want.Orders || s.RevenueCents != want.RevenueCents || s.SubtotalCents+s.TaxCents+s.ShippingCents != s.RevenueCents ||
		s.ReferrerTypes["search"]+s.ReferrerTypes["direct"] != want.Visits || s.Countries["us"]+s.Countries["de"] != want.Visits {
		t.Errorf("sent %+v, want %+v", s, want)
	}
	var slowest time.Duration
	for _, i := range append(indexes(0, 3000), indexes(5000, 6500)...) {
		slowest = max(slowest, request(i).Latency)
	}
	if got, want := merged.Total.Latency.Max, float64(slowest.Microseconds())/1000; got < want || got > want*1.001 {
		t.Errorf("max %v ms, want %v within HDR precision", got, want)
	}
}

func indexes(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func TestMergeRunSpansThePartsAndAddsRates(t *testing.T) {
	a := reportFrom("r1", digestA, t0, 10*time.Second, named{"a", newRec()})
	b := reportFrom("r2", digestA, t0.Add(2*time.Second), 12*time.Second, named{"a", newRec()})
	b.Run.StopReason, b.Run.Seed = "max_visits", 99
	m, err := report.Merge([]report.Input{{Source: "one.json", Report: a}, {Source: "two.json", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	r := m.Run
	// Each part scheduled arrivals for 10 s (100 visits at 10/s); they
	// overlap for 8 s, so the merge was active 12 s: 200 planned visits
	// at 200/12 per second, 190 achieved (9.5/s each).
	if r.ID != "r1+r2" || r.Seed != 1 || !r.Start.Equal(t0) || !r.End.Equal(t0.Add(14*time.Second)) || r.DurationS != 14 ||
		r.PlannedVisits != 200 || r.PlannedRate != 200.0/12 || r.AchievedRate != 190.0/12 || r.StopReason != "max_visits" ||
		r.Outcome != "passed" || r.ExitCode != 0 {
		t.Errorf("run %+v", r)
	}
	if len(m.MergedFrom) != 2 || m.MergedFrom[0].Source != "one.json" || m.MergedFrom[1].ID != "r2" || m.MergedFrom[1].Seed != 99 ||
		m.MergedFrom[1].StopReason != "max_visits" {
		t.Errorf("merged_from %+v", m.MergedFrom)
	}
	p := m.Targets[0].Planned
	if p.Visits.Planned != 100 || p.Rate != (report.Pair{Planned: 100.0 / 12, Achieved: 0}) || p.HitsByKind["pageview"] != (report.Pair{Planned: 80, Achieved: 78}) {
		t.Errorf("planned %+v", p)
	}
	// Merging a merged report lists the original runs, not the merge.
	c := reportFrom("r3", digestA, t0, 10*time.Second, named{"a", newRec()})
	again, err := report.Merge([]report.Input{{Source: "m.json", Report: m}, {Source: "three.json", Report: c}})
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, p := range again.MergedFrom {
		sources = append(sources, p.Source)
	}
	if strings.Join(sources, ",") != "one.json,two.json,three.json" {
		t.Errorf("merged_from sources %v", sources)
	}
}

// Parts one after the other average their rates; side by side they add up.
func TestMergeRatesOverActiveTime(t *testing.T) {
	a := reportFrom("r1", digestA, t0, 11*time.Second, named{"a", newRec()})
	b := reportFrom("r2", digestA, t0.Add(20*time.Second), 11*time.Second, named{"a", newRec()})
	c := reportFrom("r3", digestA, t0, 11*time.Second, named{"a", newRec()})
	for _, tc := range []struct {
		name            string
		parts           []*report.Report
		planned, actual float64
	}{
		{"sequential", []*report.Report{a, b}, 10, 9.5},
		{"side by side", []*report.Report{a, c}, 20, 19},
		{"single", []*report.Report{a}, 10, 9.5},
	} {
		var in []report.Input
		for _, p := range tc.parts {
			in = append(in, report.Input{Source: p.Run.ID, Report: p})
		}
		m, err := report.Merge(in)
		if err != nil {
			t.Fatal(err)
		}
		if m.Run.PlannedRate != tc.planned || m.Run.AchievedRate != tc.actual {
			t.Errorf("%s: planned %v achieved %v, want %v %v", tc.name, m.Run.PlannedRate, m.Run.AchievedRate, tc.planned, tc.actual)
		}
	}
}

func TestMergeRefusesDifferentScenarios(t *testing.T) {
	a := reportFrom("r1", digestA, t0, time.Second, named{"a", newRec()})
	b := reportFrom("r2", digestB, t0, time.Second, named{"a", newRec()})
	_, err := report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: a}, {Source: "c.json", Report: b}})
	var mm *report.ScenarioMismatchError
	if !errors.As(err, &mm) || mm.A.Source != "a.json" || mm.B.Source != "c.json" {
		t.Fatalf("err %v", err)
	}
	want := `a.json (scenario "merge", sha256:111111111111…) and c.json (scenario "merge", sha256:222222222222…) are runs of different scenarios; only runs of the same scenario file merge`
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
}

func TestMergeRejectsAnUnreadableHistogram(t *testing.T) {
	a := reportFrom("r1", digestA, t0, time.Second, named{"a", newRec()})
	b := reportFrom("r2", digestA, t0, time.Second, named{"a", newRec()})
	b.Targets[0].Histogram = "HISTFAAAAnot-base64"
	_, err := report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if err == nil || !strings.HasPrefix(err.Error(), "b.json: target a: unreadable latency histogram") {
		t.Fatalf("err %v", err)
	}
}

// errorParts are two runs of one scenario: the first without errors, the
// second with 30 % errors. Each part's report judged itself at its end.
func errorParts(when string) (a, b *report.Report) {
	clean, broken := newRec(), newRec()
	fill(clean, 0, 700, func(i int) bool { return i%9 != 0 }) // 622 requests, no failure
	for i := 0; i < 300; i++ {
		q := request(1)
		if i < 90 {
			q = request(0) // a failure
		}
		broken.RecordRequest(q)
	}
	a = reportFrom("r1", digestA, t0, 10*time.Second, named{"a", clean})
	b = reportFrom("r2", digestA, t0, 10*time.Second, named{"a", broken})
	def := report.PolicyDef{Name: "error-budget", Scope: "run", When: when, Action: "fail", Line: 20}
	a.PoliciesDefined = []report.PolicyDef{def}
	b.PoliciesDefined = []report.PolicyDef{def}
	b.Policies = []gates.Firing{{Policy: "error-budget", Scope: "run", Action: "fail", When: when, Line: 20,
		At: t0.Add(10 * time.Second), ElapsedS: 10, Phase: "end", Values: map[string]float64{"error_rate": 0.3}}}
	b.Run.Outcome, b.Run.ExitCode = "failed", 1
	return a, b
}

// The end-of-run policies are judged again on the merged figures: 90
// errors in 922 answered hits is 9.8 %, under a 20 % budget (the second
// part alone failed it) and over a 5 % one.
func TestMergeJudgesEndPoliciesOnMergedFigures(t *testing.T) {
	a, b := errorParts("error_rate > 0.2")
	m, err := report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Run.Outcome != "passed" || m.Run.ExitCode != 0 || len(m.Policies) != 0 {
		t.Errorf("20%% budget: outcome %s exit %d firings %+v", m.Run.Outcome, m.Run.ExitCode, m.Policies)
	}

	a, b = errorParts("error_rate > 0.05")
	m, err = report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Run.Outcome != "failed" || m.Run.ExitCode != 1 || len(m.Policies) != 1 {
		t.Fatalf("5%% budget: outcome %s exit %d firings %+v", m.Run.Outcome, m.Run.ExitCode, m.Policies)
	}
	f := m.Policies[0]
	if f.Policy != "error-budget" || f.Phase != "end" || f.Line != 20 || !f.At.Equal(m.Run.End) ||
		f.Values["error_rate"] != 90.0/922 || f.Effect != "the run fails (exit code 1)" {
		t.Errorf("firing %+v", f)
	}
}

// Live firings of the parts are kept, and a live fail fails the merge
// whatever the merged figures say; an abort aborts it.
func TestMergeKeepsLiveFirings(t *testing.T) {
	a, b := errorParts("error_rate > 0.2")
	live := gates.Firing{Policy: "error-budget", Scope: "run", Action: "fail", When: "error_rate > 0.2", Line: 20,
		At: t0.Add(3 * time.Second), ElapsedS: 3, Phase: "live", Values: map[string]float64{"error_rate": 0.5}}
	b.Policies = append([]gates.Firing{live}, b.Policies...)
	m, err := report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Run.Outcome != "failed" || m.Run.ExitCode != 1 || len(m.Policies) != 1 || m.Policies[0].Phase != "live" {
		t.Errorf("outcome %s exit %d firings %+v", m.Run.Outcome, m.Run.ExitCode, m.Policies)
	}
	a.Run.Outcome, a.Run.ExitCode = "aborted", 1
	m, _ = report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if m.Run.Outcome != "aborted" || m.Run.ExitCode != 1 {
		t.Errorf("aborted part: outcome %s exit %d", m.Run.Outcome, m.Run.ExitCode)
	}
	b.Run.Outcome, b.Run.ExitCode = "interrupted", 130
	m, _ = report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if m.Run.Outcome != "interrupted" || m.Run.ExitCode != 130 {
		t.Errorf("interrupted part: outcome %s exit %d", m.Run.Outcome, m.Run.ExitCode)
	}
}

func TestMergeTargetsByName(t *testing.T) {
	ra, rb, rc := newRec(), newRec(), newRec()
	fill(ra, 0, 10, all)
	fill(rb, 0, 20, all)
	fill(rc, 0, 30, all)
	one := reportFrom("r1", digestA, t0, time.Second, named{"x", ra}, named{"y", rb})
	two := reportFrom("r2", digestA, t0, time.Second, named{"y", rc})
	two.Targets[0].Health = "failing"
	two.Targets[0].Disabled = &report.Disabled{At: t0.Add(time.Second), ElapsedS: 1, Policy: "p", Reason: "r"}
	m, err := report.Merge([]report.Input{{Source: "1", Report: one}, {Source: "2", Report: two}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Targets) != 2 || m.Targets[0].Name != "x" || m.Targets[1].Name != "y" {
		t.Fatalf("targets %+v", m.Targets)
	}
	if m.Targets[0].Counters.Requests != 10 || m.Targets[1].Counters.Requests != 50 || m.Total.Counters.Requests != 60 {
		t.Errorf("requests x %d y %d total %d", m.Targets[0].Counters.Requests, m.Targets[1].Counters.Requests, m.Total.Counters.Requests)
	}
	y := m.Targets[1]
	if y.Health != "failing" || y.Disabled == nil || y.Disabled.Policy != "p" || y.Kind != "sink" || y.Share != 0.5 {
		t.Errorf("y %+v", y)
	}
	if m.Total.Kind != "" || m.Total.Features != nil || m.Total.Name != "total" {
		t.Errorf("total %+v", m.Total)
	}
}

// A run merged twice would double its counts: the same report given twice,
// a run that a merged report already holds, or two merged reports that
// share a run, are all refused, naming both sources and the run.
func TestMergeRefusesARepeatedRun(t *testing.T) {
	a := reportFrom("r1", digestA, t0, 10*time.Second, named{"a", newRec()})
	b := reportFrom("r2", digestA, t0, 10*time.Second, named{"a", newRec()})
	c := reportFrom("r3", digestA, t0, 10*time.Second, named{"a", newRec()})
	ab, err := report.Merge([]report.Input{{Source: "a.json", Report: a}, {Source: "b.json", Report: b}})
	if err != nil {
		t.Fatal(err)
	}
	bc, err := report.Merge([]report.Input{{Source: "b.json", Report: b}, {Source: "c.json", Report: c}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   []report.Input
		want string
	}{
		{[]report.Input{{Source: "a.json", Report: a}, {Source: "a.json", Report: a}},
			"a.json is given twice (run r1): each run is merged once, or its counts would be doubled"},
		{[]report.Input{{Source: "a.json", Report: a}, {Source: "copy.json", Report: a}},
			"a.json and copy.json both hold run r1: each run is merged once, or its counts would be doubled"},
		{[]report.Input{{Source: "ab.json", Report: ab}, {Source: "b.json", Report: b}},
			"ab.json and b.json both hold run r2"},
		{[]report.Input{{Source: "c.json", Report: c}, {Source: "ab.json", Report: ab}, {Source: "bc.json", Report: bc}},
			"ab.json and bc.json both hold run r2"},
	} {
		m, err := report.Merge(tc.in)
		var rr *report.RepeatedRunError
		if m != nil || !errors.As(err, &rr) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("merge %v: %v, want %q", tc.in[0].Source, err, tc.want)
		}
	}
}
