package runner

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// The report's expected figures (report.Expected) against what a sink in
// the run's timezone recorded, day by day, exactly: a clean run must
// verify with every ratio 1. The sink's own visit recognition gives the
// visits of each day (its stats); its OnHit hook gives the hits, from
// which each day's actions, orders, revenue and unique visitors are
// counted by cdt in the site's timezone.

// TestExpectedBackfillMatchesSink runs a 3-day backfill in New York time,
// with returning visitors and geo, and holds its expected figures against
// the sink's; its sample against the hits the sink got for each sampled
// visit; and the sample against runs with the same and another run id.
func TestExpectedBackfillMatchesSink(t *testing.T) {
	const tz = "America/New_York"
	runOnce := func(runID string) (*report.Report, *capture) {
		c := startCapture(t, tz)
		yaml := bfScenario(bfSpec{Targets: []string{c.url}, Timezone: tz, Window: "from: 2026-10-24, to: 2026-10-26", PerDay: "120", Concurrency: 16})
		yaml = strings.Replace(yaml, "traffic:\n", "traffic:\n  returning: 0.5\n", 1)
		yaml = strings.Replace(yaml, "    ecommerce: {probability: 0.4}\n", "    ecommerce: {probability: 0.4}\n    geo: true\n", 1)
		p := bfCompile(t, yaml, bfClock)
		return runBF(t, context.Background(), p, Options{RunID: runID, VerifySample: 20}), c
	}
	rep, c := runOnce("exp1")
	e := checkExpected(t, rep, c, tz)
	if len(e.Days) != 3 || e.Days[0].Date != "2026-10-24" || e.Days[2].Date != "2026-10-26" {
		t.Fatalf("days %v, want 2026-10-24 … 2026-10-26", dates(e))
	}
	if e.Total.Visits != 360 || e.Total.Orders == 0 || len(e.Total.Countries) < 3 {
		t.Fatalf("the run does not exercise the figures: %+v", e.Total)
	}
	if len(e.Sample) != 20 || e.SampleSize != 20 {
		t.Fatalf("sample of %d (size %d), want 20", len(e.Sample), e.SampleSize)
	}

	again, _ := runOnce("exp1")
	if !reflect.DeepEqual(again.Targets[0].Expected, e) {
		t.Errorf("the same run id gave other expected figures or another sample")
	}
	other, _ := runOnce("exp2")
	if ids(other.Targets[0].Expected) == ids(e) {
		t.Errorf("another run id sampled the same visitors: %s", ids(e))
	}
}

// TestExpectedRealtimeMatchesSink runs 300 realtime visits in a zone
// where the run does not cross midnight, and checks them as above.
func TestExpectedRealtimeMatchesSink(t *testing.T) {
	tz := zoneAwayFromMidnight(t)
	c := startCapture(t, tz)
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: expected}
run: {rate: 300/s, concurrency: 400, seed: 11, max_visits: 300, timezone: %s}
targets:
  - {name: m, kind: matomo, url: %q, site_id: 1, token_auth: %s}
traffic:
  pageviews: {min: 1, max: 6}
  pause: {min: 0s, max: 0s}
  visit_duration: {min: 30s, max: 5m}
  features:
    site_search: {probability: 0.5}
    outlinks: {probability: 0.5}
    downloads: {probability: 0.5}
    click_events: {probability: 0.5}
    random_events: {probability: 0.5}
    ecommerce: {probability: 0.4}
    geo: true
`, tz, c.url, bfToken)
	res := scenario.Load("expected.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
	if !res.Valid() {
		t.Fatalf("invalid scenario: %v", res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), p, Options{RunID: "rt1", NoPreflight: true, Grace: exec.WaitForAll})
	if err != nil {
		t.Fatal(err)
	}
	e := checkExpected(t, rep, c, tz)
	if e.Total.Visits != 300 || len(e.Sample) != defaultVerifySample || e.SampleSize != defaultVerifySample {
		t.Fatalf("visits %d, sample %d of %d; want 300 and 50", e.Total.Visits, len(e.Sample), e.SampleSize)
	}
	if tot := rep.Total.Expected; tot == nil || !reflect.DeepEqual(tot.Days, e.Days) || len(tot.Sample) != 0 {
		t.Errorf("total's expected %+v, want the one target's days without a sample", tot)
	}
}

// TestExpectedAcrossResume: a backfill whose target refuses a stretch of
// requests (503, after the retries: failed) leaves visits cut short; the
// resume sends their rest. The resume's report is the whole job's: each
// visit counts once, each hit once with its last outcome, and its
// expected figures are the sink's.
func TestExpectedAcrossResume(t *testing.T) {
	const tz = "Asia/Kolkata"
	var faulty atomic.Bool
	faulty.Store(true)
	c := startCaptureWith(t, tz, targets.SinkFaults{RetryAfter: "0", Fault: func(n int) targets.Fault {
		if faulty.Load() && n >= 150 && n < 400 {
			return targets.Unavailable
		}
		return targets.Healthy
	}})
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Timezone: tz, Window: "from: 2026-10-24, to: 2026-10-26", PerDay: "60", Concurrency: 8})
	yaml = strings.Replace(yaml, "    ecommerce: {probability: 0.4}\n", "    ecommerce: {probability: 0.4}\n    geo: true\n", 1)
	state := filepath.Join(t.TempDir(), "run.state")
	first := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{RunID: "res", State: state})
	faulty.Store(false)
	if n := first.Targets[0].Counters; n.Failed == 0 || n.OK == 0 {
		t.Fatalf("the first run should have failed and ok hits: %+v", n)
	}
	prior, _, err := journal.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	second := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{Resume: prior, State: state})
	// The resume's report is the whole job's (docs/backfill.md#resuming-a-backfill):
	// the first attempt's failed hits were resent and count once, ok.
	if n := second.Targets[0].Counters; n.OK != n.Hits || n.Unknown != 0 || n.Failed != 0 || n.Unsent != 0 || n.Visits != 180 {
		t.Fatalf("the resume was not clean or not whole: %+v", n)
	}
	// It carries the visits that the first attempt settled, and takes
	// back those it sent again.
	var settled int64
	for _, r := range first.Backfill.Days {
		settled += r.Delivered + r.RejectedVisits + r.UnknownVisits
	}
	carried := second.Targets[0].Carried
	if carried == nil || carried.Visits != settled || carried.Failed != 0 || carried.Unsent != 0 {
		t.Fatalf("the resume carries %+v; the first attempt settled %d visits", carried, settled)
	}
	e1, e2 := first.Targets[0].Expected, second.Targets[0].Expected
	if e1.Total.Visits >= 180 || e2.Total.Visits != 180 {
		t.Errorf("visits %d then %d, want fewer than 180 then the 180", e1.Total.Visits, e2.Total.Visits)
	}
	checkAgainstSink(t, e2, c, tz)
}

// checkExpected holds the one target's expected figures against the
// sink's, day by day, and its sample against the hits of each sampled
// visit; it returns them.
func checkExpected(t *testing.T, rep *report.Report, c *capture, tz string) *report.Expected {
	t.Helper()
	e := rep.Targets[0].Expected
	if e == nil {
		t.Fatal("the target has no expected figures")
	}
	if n := rep.Targets[0].Counters; n.OK != n.Hits || e.UnknownHits != 0 {
		t.Fatalf("not a clean run: %d of %d hits ok, %d unknown", n.OK, n.Hits, e.UnknownHits)
	}
	checkAgainstSink(t, e, c, tz)
	return e
}

// checkAgainstSink holds expected figures against the sink's.
func checkAgainstSink(t *testing.T, e *report.Expected, c *capture, tz string) {
	t.Helper()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	hits := c.all()
	want := sinkFigures(t, hits, loc)
	site := c.sink.Stats().Sites[0]
	if e.Timezone != tz || site.Timezone != tz {
		t.Fatalf("timezones: expected %q, sink %q, want %q", e.Timezone, site.Timezone, tz)
	}
	if len(e.Days) != len(want) {
		t.Fatalf("expected days %v, the sink has %d days", dates(e), len(want))
	}
	var total kind.Figures
	for _, d := range e.Days {
		w, ok := want[d.Date]
		if !ok {
			t.Fatalf("expected day %s has no hit at the sink", d.Date)
		}
		w.Visits = site.VisitsPerDay[d.Date]
		got := d.Figures
		got.ReferrerTypes, got.Countries = nil, nil // the sink counts them over the run
		if !reflect.DeepEqual(got, *w) {
			t.Errorf("day %s:\n expected %+v\n sink     %+v", d.Date, got, *w)
		}
		total.Add(d.Figures)
	}
	if !reflect.DeepEqual(total, e.Total) {
		t.Errorf("total %+v is not the sum of the days %+v", e.Total, total)
	}
	refs := map[string]int64{}
	for k, n := range site.Referrers {
		if k == "referral" {
			k = "website"
		}
		if n > 0 {
			refs[k] = n
		}
	}
	countries := map[string]int64{}
	for k, n := range site.Countries {
		countries[strings.ToLower(k)] = n
	}
	if !reflect.DeepEqual(e.Total.ReferrerTypes, refs) || !reflect.DeepEqual(e.Total.Countries, countries) {
		t.Errorf("referrers %v countries %v, the sink %v %v", e.Total.ReferrerTypes, e.Total.Countries, refs, countries)
	}
	checkSample(t, e.Sample, hits)
}

// sinkFigures counts the hits by the day of their cdt in loc: actions by
// kind, orders and their amounts, distinct visitors.
func sinkFigures(t *testing.T, hits []gotHit, loc *time.Location) map[string]*kind.Figures {
	t.Helper()
	out := map[string]*kind.Figures{}
	seen := map[string]bool{}
	for _, h := range hits {
		p := h.params
		day := cdtOf(t, p).In(loc).Format(time.DateOnly)
		f := out[day]
		if f == nil {
			f = &kind.Figures{}
			out[day] = f
		}
		if id := p.Get("_id"); !seen[day+id] {
			seen[day+id] = true
			f.UniqueVisitors++
		}
		switch a := liveActionOf(t, p); a.Type {
		case "":
		case kind.LiveOrder:
			f.Orders++
			f.RevenueCents += a.RevenueCents
			f.SubtotalCents += cents(t, p.Get("ec_st"))
			f.TaxCents += cents(t, p.Get("ec_tx"))
			f.ShippingCents += cents(t, p.Get("ec_sh"))
		default:
			f.Actions++
			switch a.Type {
			case kind.LivePageview:
				f.Pageviews++
			case kind.LiveSearch:
				f.Searches++
			case kind.LiveOutlink:
				f.Outlinks++
			case kind.LiveDownload:
				f.Downloads++
			case kind.LiveEvent:
				f.Events++
			}
		}
	}
	return out
}

// liveActionOf reads a hit as a Live action; a ping has no Type.
func liveActionOf(t *testing.T, p url.Values) kind.LiveAction {
	a := kind.LiveAction{Timestamp: cdtOf(t, p).Unix()}
	switch {
	case p.Get("ping") == "1":
	case p.Has("ec_id"):
		a.Type, a.OrderID, a.RevenueCents = kind.LiveOrder, p.Get("ec_id"), cents(t, p.Get("revenue"))
	case p.Has("search"):
		a.Type, a.Keyword = kind.LiveSearch, p.Get("search")
	case p.Has("link"):
		a.Type, a.URL = kind.LiveOutlink, p.Get("link")
	case p.Has("download"):
		a.Type, a.URL = kind.LiveDownload, p.Get("download")
	case p.Has("e_c"):
		a.Type, a.URL, a.EventCategory, a.EventAction = kind.LiveEvent, p.Get("url"), p.Get("e_c"), p.Get("e_a")
	default:
		a.Type, a.URL = kind.LivePageview, p.Get("url")
	}
	return a
}

// checkSample: each sampled visit's actions are the hits the sink got for
// its visitor between its first and last hit, in the order they came.
func checkSample(t *testing.T, sample []kind.LiveVisit, hits []gotHit) {
	t.Helper()
	for i, v := range sample {
		if i > 0 && sample[i-1].VisitorID > v.VisitorID {
			t.Fatalf("the sample is not sorted by visitor id at %d", i)
		}
		var got []kind.LiveAction
		first, last := int64(1<<62), int64(0)
		for _, h := range hits {
			at := cdtOf(t, h.params).Unix()
			if h.params.Get("_id") != v.VisitorID || at < v.First || at > v.Last {
				continue
			}
			first, last = min(first, at), max(last, at)
			if a := liveActionOf(t, h.params); a.Type != "" {
				got = append(got, a)
			}
		}
		if first != v.First || last != v.Last || !reflect.DeepEqual(got, v.Actions) {
			t.Errorf("sampled visit %s (%d…%d):\n %+v\nthe sink got (%d…%d):\n %+v", v.VisitorID, v.First, v.Last, v.Actions, first, last, got)
		}
	}
}

func dates(e *report.Expected) []string {
	var out []string
	for _, d := range e.Days {
		out = append(out, d.Date)
	}
	return out
}

func ids(e *report.Expected) string {
	var out []string
	for _, v := range e.Sample {
		out = append(out, v.VisitorID)
	}
	return strings.Join(out, ",")
}

// zoneAwayFromMidnight is a zone, not UTC, whose local time is at least
// an hour from midnight: a realtime visit's hits then fall on one local
// day (Matomo would split a visit at midnight).
func zoneAwayFromMidnight(t *testing.T) string {
	for _, tz := range []string{"Asia/Tokyo", "America/New_York", "Europe/Berlin"} {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			t.Fatal(err)
		}
		if h := time.Now().In(loc).Hour(); h >= 1 && h <= 22 {
			return tz
		}
	}
	t.Fatal("no zone away from midnight") // the three zones are 4 hours or more apart
	return ""
}
