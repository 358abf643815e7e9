package plan

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// backfillNow is the clock of these tests: 2026-11-15 12:00 UTC.
var backfillNow = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)

// compileBackfill compiles a backfill scenario whose run.backfill block is
// bf, in timezone tz, at clock now.
func compileBF(t *testing.T, tz, bf, targetExtra string, now time.Time) *Plan {
	t.Helper()
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: bf}
run:
  mode: backfill
  timezone: %s
  seed: 5
  backfill: {%s}
targets:
  - {name: s, kind: sink, site_id: 1, token_auth: 0123456789abcdef0123456789abcdef%s}
`, tz, bf, targetExtra)
	clock := func() time.Time { return now }
	res := scenario.Load("bf.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, Now: clock})
	if !res.Valid() {
		t.Fatalf("invalid scenario: %v\n%s", res.Diags, yaml)
	}
	p, err := Compile(res.Scenario, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if p.Backfill == nil {
		t.Fatal("no backfill in the plan")
	}
	return p
}

// firstOf is the index of the first visit of date: DayStride × the days
// since 1970-01-01.
func firstOf(date string) uint64 {
	d, _ := time.Parse(time.DateOnly, date)
	return uint64(d.Unix()/86400) * DayStride
}

func TestBackfillDaysAcrossClockChanges(t *testing.T) {
	for _, tc := range []struct {
		tz, from, to string
		hours        []float64
		starts       []string // UTC instant of each local midnight
		localHours   []string // the local hour of each slot of the middle day
	}{
		{"Europe/Stockholm", "2026-03-28", "2026-03-30", []float64{24, 23, 24},
			[]string{"2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
			[]string{"0 1 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23"}},
		{"Europe/Stockholm", "2026-10-24", "2026-10-26", []float64{24, 25, 24},
			[]string{"2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"},
			[]string{"0 1 2 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23"}},
		{"America/New_York", "2026-11-01", "2026-11-01", []float64{25},
			[]string{"2026-11-01T04:00:00Z"}, nil},
		{"UTC", "2026-03-29", "2026-03-29", []float64{24}, []string{"2026-03-29T00:00:00Z"}, nil},
	} {
		p := compileBF(t, tc.tz, "from: "+tc.from+", to: "+tc.to+", visits_per_day: 10", "", backfillNow)
		days := p.Backfill.Days
		if len(days) != len(tc.hours) {
			t.Fatalf("%s %s…%s: %d days, want %d", tc.tz, tc.from, tc.to, len(days), len(tc.hours))
		}
		for i, d := range days {
			if d.Hours != tc.hours[i] || d.Start.Format(time.RFC3339) != tc.starts[i] || d.End.Sub(d.Start).Hours() != tc.hours[i] {
				t.Errorf("%s %s: %g hours from %s to %s, want %g from %s", tc.tz, d.Date, d.Hours, d.Start.Format(time.RFC3339), d.End.Format(time.RFC3339), tc.hours[i], tc.starts[i])
			}
			if len(d.Slots) != int(tc.hours[i]) {
				t.Errorf("%s %s: %d hour slots, want %g", tc.tz, d.Date, len(d.Slots), tc.hours[i])
			}
			for k, s := range d.Slots {
				if !s.Start.Equal(d.Start.Add(time.Duration(k) * time.Hour)) {
					t.Errorf("%s %s: slot %d starts at %s", tc.tz, d.Date, k, s.Start)
				}
				if s.Full != DefaultHourlyWeights[s.LocalHour] || s.Weight != s.Full {
					t.Errorf("%s %s: slot %d (local %d) weighs %g/%g, want %g", tc.tz, d.Date, k, s.LocalHour, s.Full, s.Weight, DefaultHourlyWeights[s.LocalHour])
				}
			}
			if d.First != firstOf(d.Date) || d.Visits != 10 {
				t.Errorf("%s %s: first visit %d, %d visits; want %d, 10", tc.tz, d.Date, d.First, d.Visits, firstOf(d.Date))
			}
		}
		if tc.localHours != nil {
			var got []string
			for _, s := range days[1].Slots {
				got = append(got, fmt.Sprint(s.LocalHour))
			}
			if strings.Join(got, " ") != tc.localHours[0] {
				t.Errorf("%s %s: local hours %s, want %s", tc.tz, days[1].Date, strings.Join(got, " "), tc.localHours[0])
			}
		}
	}
}

// TestBackfillHalfHourClockChange: Lord Howe Island moves its clocks by 30
// minutes, so its days are 24.5 and 23.5 hours long; the last slot is half
// an hour and weighs half.
func TestBackfillHalfHourClockChange(t *testing.T) {
	p := compileBF(t, "Australia/Lord_Howe", "from: 2026-04-05, to: 2026-04-05, hourly_weights: ["+strings.Repeat("1, ", 23)+"1]", "", backfillNow)
	d := p.Backfill.Days[0]
	if d.Hours != 24.5 || len(d.Slots) != 25 {
		t.Fatalf("%s: %g hours in %d slots, want 24.5 in 25", d.Date, d.Hours, len(d.Slots))
	}
	last := d.Slots[24]
	if last.Full != 0.5 || !last.Start.Add(30*time.Minute).Equal(d.End) {
		t.Errorf("last slot %+v, want half an hour weighing 0.5 ending at %s", last, d.End)
	}
	p = compileBF(t, "Australia/Lord_Howe", "from: 2026-10-04, to: 2026-10-04", "", backfillNow)
	if d := p.Backfill.Days[0]; d.Hours != 23.5 || len(d.Slots) != 24 {
		t.Errorf("%s: %g hours in %d slots, want 23.5 in 24", d.Date, d.Hours, len(d.Slots))
	}
}

func TestBackfillVisitsPerDayForms(t *testing.T) {
	// 2026-10-03 and 04 are a Saturday and a Sunday.
	p := compileBF(t, "UTC", "from: 2026-10-01, to: 2026-10-06, visits_per_day: {min: 1000, max: 1000, weekend_factor: 0.5}", "", backfillNow)
	var got []int64
	for _, d := range p.Backfill.Days {
		got = append(got, d.Visits)
	}
	if fmt.Sprint(got) != "[1000 1000 500 500 1000 1000]" {
		t.Errorf("weekend_factor 0.5: visits %v", got)
	}
	if p.Backfill.Visits != 5000 || p.Expected.Visits != 5000 {
		t.Errorf("total %d visits, expected %g; want 5000", p.Backfill.Visits, p.Expected.Visits)
	}

	// A plain number, and the default.
	for bf, want := range map[string]int64{"visits_per_day: 321": 321, "last_days: 1, offset_days: 3": DefaultBackfillDaily} {
		if !strings.Contains(bf, "last_days") {
			bf = "from: 2026-10-01, to: 2026-10-02, " + bf
		}
		for _, d := range compileBF(t, "UTC", bf, "", backfillNow).Backfill.Days {
			if d.Visits != want {
				t.Errorf("%s: %s has %d visits, want %d", bf, d.Date, d.Visits, want)
			}
		}
	}

	// A range: each day draws its own amount, from a stream of the seed and
	// the date only, so a date has the same amount and the same visits in
	// any window.
	a := compileBF(t, "UTC", "from: 2026-09-01, to: 2026-09-30, visits_per_day: {min: 100, max: 200}", "", backfillNow)
	b := compileBF(t, "UTC", "from: 2026-09-15, to: 2026-10-10, visits_per_day: {min: 100, max: 200}", "", backfillNow)
	distinct := map[int64]bool{}
	byDate := map[string]Day{}
	for _, d := range a.Backfill.Days {
		if d.Visits < 100 || d.Visits > 200 {
			t.Errorf("%s: %d visits, outside 100…200", d.Date, d.Visits)
		}
		distinct[d.Visits] = true
		byDate[d.Date] = d
	}
	if len(distinct) < 10 {
		t.Errorf("30 days drew only %d distinct amounts: %v", len(distinct), distinct)
	}
	shared := 0
	for _, d := range b.Backfill.Days {
		if o, ok := byDate[d.Date]; ok {
			shared++
			if o.Visits != d.Visits || o.First != d.First {
				t.Errorf("%s: %d visits from %d in one window, %d from %d in another", d.Date, o.Visits, o.First, d.Visits, d.First)
			}
		}
	}
	if shared != 16 {
		t.Errorf("%d shared dates, want 16", shared)
	}
}

func TestBackfillMaxVisits(t *testing.T) {
	p := compileBF(t, "UTC", "from: 2026-10-01, to: 2026-10-04, visits_per_day: 100, max_visits: 250", "", backfillNow)
	var got []int64
	for _, d := range p.Backfill.Days {
		got = append(got, d.Visits)
	}
	if fmt.Sprint(got) != "[100 100 50 0]" || p.Backfill.Visits != 250 {
		t.Errorf("max_visits 250: visits %v (total %d), want [100 100 50 0]", got, p.Backfill.Visits)
	}
}

// TestBackfillToday: a window that ends today gets the part of today's
// curve that has passed; the hours to come weigh nothing.
func TestBackfillToday(t *testing.T) {
	now := time.Date(2026, 11, 15, 12, 30, 0, 0, time.UTC)
	p := compileBF(t, "UTC", "last_days: 2, visits_per_day: 2400", "", now)
	days := p.Backfill.Days
	if len(days) != 2 || days[0].Date != "2026-11-14" || days[1].Date != "2026-11-15" {
		t.Fatalf("days %+v", days)
	}
	if days[0].Visits != 2400 {
		t.Errorf("yesterday: %d visits, want 2400", days[0].Visits)
	}
	passed, total := 0.5*DefaultHourlyWeights[12], 0.0
	for h, w := range DefaultHourlyWeights {
		total += w
		if h < 12 {
			passed += w
		}
	}
	if want := int64(math.Round(2400 * passed / total)); days[1].Visits != want {
		t.Errorf("today: %d visits, want %d", days[1].Visits, want)
	}
	for h, s := range days[1].Slots {
		want := DefaultHourlyWeights[h]
		switch {
		case h == 12:
			want *= 0.5
		case h > 12:
			want = 0
		}
		if math.Abs(s.Weight-want) > 1e-12 || s.Full != DefaultHourlyWeights[h] {
			t.Errorf("today %02d:00: weight %g of %g, want %g", h, s.Weight, s.Full, want)
		}
	}
	if !p.Backfill.Now.Equal(now) {
		t.Errorf("plan time %s, want %s", p.Backfill.Now, now)
	}

	// In Stockholm it is 13:30 at that instant.
	p = compileBF(t, "Europe/Stockholm", "last_days: 1, visits_per_day: 2400, hourly_weights: ["+strings.Repeat("1, ", 23)+"1]", "", now)
	if d := p.Backfill.Days[0]; d.Date != "2026-11-15" || d.Visits != 1350 {
		t.Errorf("Stockholm today: %s with %d visits, want 2026-11-15 with 1350 (13.5 of 24 hours)", d.Date, d.Visits)
	}
}

func TestBackfillRelativeWindow(t *testing.T) {
	p := compileBF(t, "Pacific/Auckland", "last_days: 3, offset_days: 1", "", backfillNow)
	// 12:00 UTC is 01:00 the next day in Auckland (UTC+13 in November).
	var got []string
	for _, d := range p.Backfill.Days {
		got = append(got, d.Date)
	}
	if fmt.Sprint(got) != "[2026-11-13 2026-11-14 2026-11-15]" {
		t.Errorf("days %v", got)
	}
}

// TestBackfillRates: rps is the cap on visits started per second; the plan
// shows the requests per second it means, after bulking.
func TestBackfillRates(t *testing.T) {
	for _, bulk := range []string{"", ", bulk: 50"} {
		p := compileBF(t, "UTC", "from: 2026-10-01, to: 2026-10-02, visits_per_day: 1000, rps: 40", bulk, backfillNow)
		bf := p.Backfill
		want := 40 * p.Expected.Requests / p.Expected.Visits
		if bf.RPS != 40 || math.Abs(bf.RequestsPerS-want) > 1e-9 || want <= 0 {
			t.Errorf("bulk %q: rps %g, requests/s %g; want 40, %g", bulk, bf.RPS, bf.RequestsPerS, want)
		}
		if bulk == "" && math.Abs(bf.RequestsPerS-40*p.Expected.HitsPerVisit) > 1e-9 {
			t.Errorf("without bulk every hit is a request: %g requests/s, want %g", bf.RequestsPerS, 40*p.Expected.HitsPerVisit)
		}
	}
	if p := compileBF(t, "UTC", "from: 2026-10-01, to: 2026-10-02", "", backfillNow); p.Backfill.RPS != 0 || p.Backfill.RequestsPerS != 0 {
		t.Errorf("without rps: %g, %g; want no limit (0)", p.Backfill.RPS, p.Backfill.RequestsPerS)
	}
}

// TestBackfillCurveWithoutWeight: a curve of zeros cannot place a visit;
// the plan spreads them uniformly and says so.
func TestBackfillCurveWithoutWeight(t *testing.T) {
	p := compileBF(t, "UTC", "from: 2026-10-01, to: 2026-10-01, hourly_weights: ["+strings.Repeat("0, ", 23)+"0]", "", backfillNow)
	for h, w := range p.Backfill.HourlyWeights {
		if w != 1 {
			t.Fatalf("hour %d weighs %g, want 1", h, w)
		}
	}
	var warned []scenario.Diagnostic
	for _, d := range p.Warnings {
		if d.Path == "/run/backfill/hourly_weights" {
			warned = append(warned, d)
		}
	}
	if len(warned) != 1 || warned[0].Severity != scenario.SeverityWarning || warned[0].Line != 8 || warned[0].Column != 48 {
		t.Errorf("warnings %+v, want one about hourly_weights at 8:48", p.Warnings)
	}
	if p.Backfill.Days[0].Visits != DefaultBackfillDaily {
		t.Errorf("%d visits", p.Backfill.Days[0].Visits)
	}
}

// TestBackfillCurveOnlyInMissingHour: when the curve's weight is all in
// the hour the spring clock change skips, that day has nothing to place.
func TestBackfillCurveOnlyInMissingHour(t *testing.T) {
	w := make([]string, 24)
	for i := range w {
		w[i] = "0"
	}
	w[2] = "1"
	p := compileBF(t, "Europe/Stockholm", "from: 2026-03-28, to: 2026-03-29, visits_per_day: 50, hourly_weights: ["+strings.Join(w, ", ")+"]", "", backfillNow)
	if a, b := p.Backfill.Days[0].Visits, p.Backfill.Days[1].Visits; a != 50 || b != 0 {
		t.Errorf("visits %d, %d; want 50, 0", a, b)
	}
}

func TestBackfillOnlyInBackfillMode(t *testing.T) {
	res := scenario.Load("rt.yaml", []byte(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: rt}
run: {rate: 1/s, duration: 1m, backfill: {last_days: 2}}
targets: [{name: s, kind: sink, site_id: 1}]
`), scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
	if !res.Valid() {
		t.Fatal(res.Diags)
	}
	p, err := Compile(res.Scenario, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Backfill != nil {
		t.Errorf("a realtime plan has a backfill: %+v", p.Backfill)
	}
}
