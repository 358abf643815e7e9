package runner

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// runBF runs p without preflight (its request is not a hit of any visit).
func runBF(t testing.TB, ctx context.Context, p *plan.Plan, opts Options) *report.Report {
	t.Helper()
	opts.NoPreflight = true
	rep, err := Run(ctx, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Backfill == nil {
		t.Fatal("the report has no backfill section")
	}
	return rep
}

// checkDays holds the hits the sink got against the plan: each visitor's
// hits all on the local day its visit was planned for, the sink's hits and
// visits per local day equal to the plan's, no cdt after the moment the
// sink received it, and the report's day rows complete and exact.
func checkDays(t *testing.T, p *plan.Plan, c *capture, rep *report.Report, planned []plannedVisit) {
	t.Helper()
	loc := p.Location()
	dayOf := byVisitor(t, planned)
	wantHits := map[string]int64{}
	wantVisits := map[string]int64{}
	for _, pv := range planned {
		wantHits[pv.date] += int64(len(pv.v.Hits))
		wantVisits[pv.date]++
	}
	gotIDs := map[string]map[string]bool{}
	for _, h := range c.all() {
		id := h.params.Get("_id")
		date, ok := dayOf[id]
		if !ok {
			t.Fatalf("hit of visitor %s, which the plan does not have: %s", id, canonical(h.params))
		}
		cdt := cdtOf(t, h.params)
		if got := cdt.In(loc).Format(time.DateOnly); got != date {
			t.Errorf("visitor %s planned for %s has a hit at %s (%s local, day %s)", id, date, cdt.Format(time.RFC3339), cdt.In(loc).Format(time.DateTime), got)
		}
		if cdt.After(h.at) {
			t.Errorf("cdt %s is after the sink received the hit (%s)", cdt.Format(time.RFC3339), h.at.UTC().Format(time.RFC3339Nano))
		}
		if gotIDs[date] == nil {
			gotIDs[date] = map[string]bool{}
		}
		gotIDs[date][id] = true
	}
	site := c.sink.Stats().Sites[0]
	for _, day := range p.Backfill.Days {
		if got := site.HitsPerDay[day.Date]; got != wantHits[day.Date] {
			t.Errorf("%s: the sink counts %d hits, the plan's visits have %d", day.Date, got, wantHits[day.Date])
		}
		if got := site.VisitsPerDay[day.Date]; got != day.Visits {
			t.Errorf("%s: the sink counts %d visits, %d planned", day.Date, got, day.Visits)
		}
		if got := int64(len(gotIDs[day.Date])); got != day.Visits {
			t.Errorf("%s: %d distinct visitors at the sink, %d planned", day.Date, got, day.Visits)
		}
	}
	if len(site.HitsPerDay) != len(p.Backfill.Days) {
		t.Errorf("the sink has hits on %d days, want the %d of the window: %v", len(site.HitsPerDay), len(p.Backfill.Days), site.HitsPerDay)
	}
	if n := c.sink.Stats().Adjusted["cdt_future"]; n != 0 {
		t.Errorf("the sink moved %d hits with a cdt in the future to its own time", n)
	}
	if len(rep.Backfill.Days) != len(p.Backfill.Days) {
		t.Fatalf("%d day rows, want %d", len(rep.Backfill.Days), len(p.Backfill.Days))
	}
	for i, row := range rep.Backfill.Days {
		day := p.Backfill.Days[i]
		want := report.DayRow{Date: day.Date, Planned: day.Visits, Delivered: day.Visits, OK: wantHits[day.Date], Complete: true}
		if fmt.Sprint(row) != fmt.Sprint(want) {
			t.Errorf("day row %+v, want %+v", row, want)
		}
	}
}

// TestBackfillDaysAtSink runs the window of issue 8 (the autumn clock
// change in the middle) and checks every hit against the plan.
func TestBackfillDaysAtSink(t *testing.T) {
	c := startCapture(t, "Europe/Stockholm")
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{c.url}, Window: "from: 2026-10-24, to: 2026-10-26", RPS: 200}), bfClock)
	if got := []float64{p.Backfill.Days[0].Hours, p.Backfill.Days[1].Hours, p.Backfill.Days[2].Hours}; fmt.Sprint(got) != "[24 25 24]" {
		t.Fatalf("hours per day %v, want [24 25 24]", got)
	}
	rep := runBF(t, context.Background(), p, Options{RunID: "bfdays"})
	if rep.Run.StopReason != "completed" {
		t.Errorf("stop reason %q", rep.Run.StopReason)
	}
	checkDays(t, p, c, rep, regenerate(t, p, "bfdays", time.Now()))
}

// TestBackfillBulkDaysAtSink is the same check with bulk requests, and
// with a daily amount drawn between min and max.
func TestBackfillBulkDaysAtSink(t *testing.T) {
	c := startCapture(t, "America/New_York")
	p := bfCompile(t, bfScenario(bfSpec{
		Targets: []string{c.url}, Timezone: "America/New_York", Window: "from: 2026-10-30, to: 2026-11-02",
		PerDay: "{min: 150, max: 250, weekend_factor: 0.5}", Bulk: 20,
	}), bfClock)
	rep := runBF(t, context.Background(), p, Options{RunID: "bfbulk"})
	checkDays(t, p, c, rep, regenerate(t, p, "bfbulk", time.Now()))
	if st := c.sink.Stats(); st.BulkRequests == 0 || st.BulkRequests != st.Requests {
		t.Errorf("%d bulk requests of %d: want all", st.BulkRequests, st.Requests)
	}
}

// localZoneAt returns an Etc/GMT zone in which it is about 18:00 at now, so
// that today has most of its curve behind it whenever the test runs.
func localZoneAt(now time.Time) string {
	off := 18 - now.UTC().Hour()
	if off > 14 {
		off -= 24
	}
	if off < -12 {
		off += 24
	}
	switch {
	case off > 0:
		return fmt.Sprintf("Etc/GMT-%d", off) // POSIX signs: GMT-3 is UTC+3
	case off < 0:
		return fmt.Sprintf("Etc/GMT+%d", -off)
	}
	return "UTC"
}

// TestBackfillTodayNoFutureCdt runs a window that ends today: today gets
// the part of its curve that has passed and no cdt is after the moment the
// sink receives it.
func TestBackfillTodayNoFutureCdt(t *testing.T) {
	tz := localZoneAt(time.Now())
	c := startCapture(t, tz)
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{c.url}, Timezone: tz, Window: "last_days: 2", PerDay: "1000", Uniform: true}), nil)
	loc := p.Location()
	today := p.Backfill.Days[1]
	if want := time.Now().In(loc).Format(time.DateOnly); today.Date != want {
		t.Skipf("the local day changed while compiling (%s, now %s)", today.Date, want)
	}
	// Uniform weights: today's share is the part of the day gone by.
	frac := p.Backfill.Now.Sub(today.Start).Hours() / today.Hours
	if want := int64(1000*frac + 0.5); today.Visits != want {
		t.Fatalf("today (%s) has %d visits planned, want %d (%.3f of the day gone)", today.Date, today.Visits, want, frac)
	}
	start := time.Now()
	rep := runBF(t, context.Background(), p, Options{RunID: "bftoday"})
	checkDays(t, p, c, rep, regenerate(t, p, "bftoday", start))
	var latest time.Time
	for _, h := range c.all() {
		if cdt := cdtOf(t, h.params); cdt.After(latest) {
			latest = cdt
		}
	}
	if latest.Before(p.Backfill.Now.Add(-time.Hour)) {
		t.Errorf("the latest cdt is %s, more than an hour before the plan was made (%s): today's last hours are empty", latest, p.Backfill.Now)
	}
}

// TestBackfillDSTHours sends a day of uniform traffic on each of
// Stockholm's clock changes: the spring day has 23 real hours of traffic
// and no local 02:xx, the autumn day 25, local 02:xx twice.
func TestBackfillDSTHours(t *testing.T) {
	for _, tc := range []struct {
		date     string
		hours    int
		local2   []string // the UTC offsets local 02:xx shows with
		startUTC string
	}{
		{"2026-03-29", 23, nil, "2026-03-28T23:00:00Z"},
		{"2026-10-25", 25, []string{"+0100", "+0200"}, "2026-10-24T22:00:00Z"},
	} {
		t.Run(tc.date, func(t *testing.T) {
			c := startCapture(t, "Europe/Stockholm")
			p := bfCompile(t, bfScenario(bfSpec{
				Targets: []string{c.url}, Window: "from: " + tc.date + ", to: " + tc.date, PerDay: "3000", Uniform: true,
				Concurrency: 100, Duration: "{min: 10s, max: 5m}",
			}), bfClock)
			day := p.Backfill.Days[0]
			if day.Start.Format(time.RFC3339) != tc.startUTC || int(day.Hours) != tc.hours {
				t.Fatalf("day starts %s and has %g hours, want %s and %d", day.Start.Format(time.RFC3339), day.Hours, tc.startUTC, tc.hours)
			}
			rep := runBF(t, context.Background(), p, Options{RunID: "bfdst"})
			checkDays(t, p, c, rep, regenerate(t, p, "bfdst", time.Now()))
			realHours := map[time.Time]int{}
			offsets2 := map[string]bool{}
			for _, h := range c.all() {
				cdt := cdtOf(t, h.params)
				if cdt.Before(day.Start) || !cdt.Before(day.End) {
					t.Fatalf("cdt %s outside the day [%s, %s)", cdt, day.Start, day.End)
				}
				realHours[cdt.Truncate(time.Hour)]++
				if l := cdt.In(p.Location()); l.Hour() == 2 {
					offsets2[l.Format("-0700")] = true
				}
			}
			if len(realHours) != tc.hours {
				t.Errorf("traffic in %d distinct real hours, want %d", len(realHours), tc.hours)
			}
			var got []string
			for o := range offsets2 {
				got = append(got, o)
			}
			sort.Strings(got)
			if fmt.Sprint(got) != fmt.Sprint(tc.local2) {
				t.Errorf("local 02:xx seen with offsets %v, want %v", got, tc.local2)
			}
		})
	}
}

// TestBackfillDeterministic runs the same seed and run id at concurrency 1
// and 50: the hit streams are identical, cdt and order ids included, and
// equal to the plan regenerated visit by visit. Another run id shares no
// visitor id with them.
func TestBackfillDeterministic(t *testing.T) {
	var hashes []string
	var want string
	for _, conc := range []int{1, 50} {
		c := startCapture(t, "Europe/Stockholm")
		p := bfCompile(t, bfScenario(bfSpec{Targets: []string{c.url}, Window: "from: 2026-10-24, to: 2026-10-26", PerDay: "150", Concurrency: conc}), bfClock)
		runBF(t, context.Background(), p, Options{RunID: "bfseed"})
		hits := c.all()
		if len(hits) == 0 {
			t.Fatal("no hits")
		}
		hashes = append(hashes, streamHash(paramsOf(hits)))
		if want == "" {
			want = streamHash(plannedParams(t, regenerate(t, p, "bfseed", time.Now())))
		}
		if conc == 1 {
			// One visit at a time: the hits arrive in the order of the
			// visits' first hits, each visit's hits oldest first.
			checkSendOrder(t, hits)
		}
	}
	if hashes[0] != hashes[1] {
		t.Errorf("concurrency 1 and 50 give different hit streams: %s, %s", hashes[0], hashes[1])
	}
	if hashes[0] != want {
		t.Errorf("the hit stream %s is not the plan's %s", hashes[0], want)
	}
	// A different run id changes the order ids and the visitors: no _id
	// of the first run comes back.
	c := startCapture(t, "Europe/Stockholm")
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{c.url}, Window: "from: 2026-10-24, to: 2026-10-26", PerDay: "150"}), bfClock)
	runBF(t, context.Background(), p, Options{RunID: "other"})
	first := map[string]bool{}
	for _, v := range regenerate(t, p, "bfseed", time.Now()) {
		first[v.v.VisitorID] = true
	}
	var orders int
	for _, h := range c.all() {
		if id := h.params.Get("_id"); first[id] {
			t.Fatalf("run \"other\" sent _id %s of run \"bfseed\"", id)
		}
		if id := h.params.Get("ec_id"); id != "" {
			orders++
			if !strings.HasPrefix(id, "other-") {
				t.Fatalf("order id %q does not carry the run id", id)
			}
		}
	}
	if orders == 0 {
		t.Fatal("no orders: the run id is not exercised")
	}
}

// checkSendOrder checks that visits were sent one after the other in the
// order of their first cdt, each visit's cdts never decreasing.
func checkSendOrder(t *testing.T, hits []gotHit) {
	t.Helper()
	var prevStart time.Time
	var prevID string
	var prevCdt time.Time
	seen := map[string]bool{}
	for _, h := range hits {
		id, cdt := h.params.Get("_id"), cdtOf(t, h.params)
		if id == prevID {
			if cdt.Before(prevCdt) {
				t.Fatalf("visitor %s: cdt %s after %s", id, cdt, prevCdt)
			}
			prevCdt = cdt
			continue
		}
		if seen[id] {
			t.Fatalf("visitor %s's hits are not consecutive", id)
		}
		seen[id] = true
		if cdt.Before(prevStart) {
			t.Fatalf("visit %s starting %s sent after one starting %s", id, cdt, prevStart)
		}
		prevID, prevStart, prevCdt = id, cdt, cdt
	}
}

// TestCanonicalDropsTransportParams checks the form hits are compared in:
// what the transport adds is left out, everything else kept.
func TestCanonicalDropsTransportParams(t *testing.T) {
	q, _ := url.ParseQuery("idsite=1&token_auth=" + bfToken + "&ua=x&_id=abc&cdt=2026-10-24+10%3A00%3A00")
	if got := canonical(q); got != "_id=abc&cdt=2026-10-24+10%3A00%3A00&idsite=1" {
		t.Errorf("canonical = %q", got)
	}
}
