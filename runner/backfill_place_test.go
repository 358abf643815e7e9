package runner

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// noTarget is an endpoint the placement tests never contact.
const noTarget = "http://127.0.0.1:9/matomo.php"

// placeDay generates and places every visit of the plan's first day as
// the runner does, and returns them.
func placeDay(t *testing.T, p *plan.Plan) (plan.Day, []*visit.Visit) {
	t.Helper()
	day := p.Backfill.Days[0]
	cfg, err := p.VisitConfig(&p.Targets[0], nil, "place")
	if err != nil {
		t.Fatal(err)
	}
	notAfter := time.Now()
	out := make([]*visit.Visit, 0, day.Visits)
	for i := int64(0); i < day.Visits; i++ {
		v := visit.Generate(cfg, p.Seed, day.First+uint64(i))
		if err := placeVisit(day, v, p.Seed, notAfter); err != nil {
			t.Fatalf("visit %d: %v", v.Index, err)
		}
		out = append(out, v)
	}
	return day, out
}

// checkShares checks counts[k] against the share weights[k]/Σweights of n
// draws, within 3 binomial standard errors.
func checkShares(t *testing.T, what string, counts, weights []float64, n int) {
	t.Helper()
	total := 0.0
	for _, w := range weights {
		total += w
	}
	for k, w := range weights {
		p := w / total
		want := p * float64(n)
		se := math.Sqrt(float64(n) * p * (1 - p))
		if math.Abs(counts[k]-want) > 3*se || (p == 0 && counts[k] != 0) {
			t.Errorf("%s %d: %.0f visits, want %.1f ± %.1f (3 SE)", what, k, counts[k], want, 3*se)
		}
	}
}

// TestPlacementFollowsDefaultCurve places 100,000 visits of one day and
// counts the local hour each starts in: each hour's share is its weight in
// DefaultHourlyWeights over their sum.
func TestPlacementFollowsDefaultCurve(t *testing.T) {
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{noTarget}, Window: "from: 2026-10-20, to: 2026-10-20", PerDay: "100000"}), bfClock)
	if p.Backfill.HourlyWeights != plan.DefaultHourlyWeights {
		t.Fatalf("hourly weights %v, want the default curve", p.Backfill.HourlyWeights)
	}
	day, visits := placeDay(t, p)
	if len(visits) != 100000 {
		t.Fatalf("%d visits", len(visits))
	}
	counts := make([]float64, 24)
	for _, v := range visits {
		if v.Start.Before(day.Start) || !v.Start.Before(day.End) {
			t.Fatalf("visit %d starts at %s, outside the day", v.Index, v.Start)
		}
		counts[v.Start.In(p.Location()).Hour()]++
	}
	checkShares(t, "local hour", counts, plan.DefaultHourlyWeights[:], len(visits))
}

// TestPlacementFollowsCustomCurve: a curve with empty hours gets no visit
// in them.
func TestPlacementFollowsCustomCurve(t *testing.T) {
	weights := []float64{0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1, 1, 1, 0.5, 0, 0}
	yaml := strings.Replace(
		bfScenario(bfSpec{Targets: []string{noTarget}, Window: "from: 2026-10-20, to: 2026-10-20", PerDay: "30000", Timezone: "Asia/Kolkata"}),
		"visits_per_day: 30000", "visits_per_day: 30000, hourly_weights: [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1, 1, 1, 0.5, 0, 0]", 1)
	p := bfCompile(t, yaml, bfClock)
	_, visits := placeDay(t, p)
	counts := make([]float64, 24)
	for _, v := range visits {
		counts[v.Start.In(p.Location()).Hour()]++
	}
	checkShares(t, "local hour", counts, weights, len(visits))
}

// TestPlacementOnFallBackDay: on 2026-10-25 Stockholm has 25 real hours;
// each gets the weight of the local hour it shows, 02:00 twice.
func TestPlacementOnFallBackDay(t *testing.T) {
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{noTarget}, Window: "from: 2026-10-25, to: 2026-10-25", PerDay: "50000"}), bfClock)
	day, visits := placeDay(t, p)
	if len(day.Slots) != 25 {
		t.Fatalf("%d hour slots, want 25", len(day.Slots))
	}
	weights := make([]float64, len(day.Slots))
	index := map[time.Time]int{}
	for k, s := range day.Slots {
		weights[k] = plan.DefaultHourlyWeights[s.LocalHour]
		index[s.Start] = k
	}
	counts := make([]float64, len(day.Slots))
	for _, v := range visits {
		k, ok := index[v.Start.Truncate(time.Hour)]
		if !ok {
			t.Fatalf("visit %d starts at %s, in no hour of the day", v.Index, v.Start)
		}
		counts[k]++
	}
	checkShares(t, "real hour", counts, weights, len(visits))
}

// TestPlacementLongVisitsStayInTheirDay places visits longer than an hour
// on a curve that puts them at both ends of the day: every cdt, in whole
// seconds, is still within the day (a visit that exactly fills its window
// used to start a second before it, on the previous day).
func TestPlacementLongVisitsStayInTheirDay(t *testing.T) {
	for _, dur := range []string{"{min: 59m59s, max: 1h}", "{min: 50m, max: 3h}"} {
		yaml := strings.Replace(
			bfScenario(bfSpec{Targets: []string{noTarget}, Window: "from: 2026-03-29, to: 2026-03-29", PerDay: "5000", Duration: dur}),
			"visits_per_day: 5000", "visits_per_day: 5000, hourly_weights: [5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 5]", 1)
		p := bfCompile(t, yaml, bfClock)
		day, visits := placeDay(t, p)
		for _, v := range visits {
			for _, h := range v.Hits {
				cdt, err := time.Parse(visit.CDTLayout, paramValue(h.Params, "cdt"))
				if err != nil {
					t.Fatal(err)
				}
				if cdt.Before(day.Start) || !cdt.Before(day.End) {
					t.Fatalf("%s: visit %d (%s long) has a hit at %s, outside the day [%s, %s)", dur, v.Index, v.Duration, cdt, day.Start, day.End)
				}
			}
		}
	}
}

func paramValue(p visit.Params, key string) string {
	v, _ := p.Get(key)
	return v
}

// TestPickSlot: the draw maps onto the weights laid end to end, and never
// onto an hour without weight.
func TestPickSlot(t *testing.T) {
	t0 := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	slots := []plan.HourSlot{
		{Start: t0, Weight: 1},
		{Start: t0.Add(time.Hour), Weight: 0},
		{Start: t0.Add(2 * time.Hour), Weight: 3},
		{Start: t0.Add(3 * time.Hour), Weight: 0}, // still to come today
	}
	for _, tc := range []struct {
		u    float64
		want int
	}{{0, 0}, {0.2499, 0}, {0.25, 2}, {0.9999999999999999, 2}, {1, 2}} {
		if got := pickSlot(slots, tc.u); !got.Start.Equal(slots[tc.want].Start) {
			t.Errorf("u=%v: slot starting %s, want %s", tc.u, got.Start, slots[tc.want].Start)
		}
	}
}

// TestPlaceWindow: a short visit keeps its hour; a visit of an hour or
// more is widened within the day, with a second to spare.
func TestPlaceWindow(t *testing.T) {
	start := time.Date(2026, 10, 19, 22, 0, 0, 0, time.UTC)
	day := plan.Day{Start: start, End: start.Add(24 * time.Hour)}
	for k := range 24 {
		day.Slots = append(day.Slots, plan.HourSlot{Start: start.Add(time.Duration(k) * time.Hour), Weight: 1})
	}
	for _, tc := range []struct {
		u        float64
		dur      time.Duration
		from, to time.Duration // offsets from the day's start
	}{
		{0.5 / 24, 10 * time.Minute, 0, time.Hour},
		{0.5 / 24, time.Hour, 0, time.Hour + time.Second},
		{0.5 / 24, 3 * time.Hour, 0, 3*time.Hour + time.Second},
		{10.5 / 24, 3 * time.Hour, 8*time.Hour - time.Second, 11 * time.Hour},
		{23.5 / 24, 10 * time.Minute, 23 * time.Hour, 24 * time.Hour},
		{0.5 / 24, 30 * time.Hour, 0, 24 * time.Hour}, // longer than the day: the whole day
	} {
		ws, we := placeWindow(day, tc.dur, tc.u)
		if ws.Sub(start) != tc.from || we.Sub(start) != tc.to {
			t.Errorf("u=%.3f, %s: window +%s … +%s, want +%s … +%s", tc.u, tc.dur, ws.Sub(start), we.Sub(start), tc.from, tc.to)
		}
	}
}
