package runner

import (
	"slices"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// sentVisit is what the order tests compare: which visit went where, and
// when it starts.
type sentVisit struct {
	index  uint64
	target int
	start  time.Time
}

// streamBackfill makes the backfill loop of p without starting anything:
// the targets are never contacted.
func streamBackfill(t *testing.T, p *plan.Plan) *backfill {
	t.Helper()
	rt, err := newRuntime(p, Options{RunID: "stream"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rt.close)
	b := &backfill{rt: rt, logf: t.Logf, jw: journal.InMemory(journal.NewState(journal.Header{Stride: plan.DayStride}))}
	for _, et := range rt.execTargets {
		b.cfgs = append(b.cfgs, rt.configs[et.Name])
	}
	return b
}

// wholeDay is the day as it was sent before the stream: every visit
// generated and placed at once, then sorted by start (stably, so ties keep
// index order). It is the reference order.
func wholeDay(t *testing.T, p *plan.Plan, b *backfill, day plan.Day) []sentVisit {
	t.Helper()
	r := b.rt.router.Clone()
	var out []sentVisit
	for i := int64(0); i < day.Visits; i++ {
		idx := day.First + uint64(i)
		ti := r.Next()
		v := visit.Generate(b.cfgs[ti], p.Seed, idx)
		if err := placeVisit(day, v, p.Seed, time.Now()); err != nil {
			t.Fatal(err)
		}
		out = append(out, sentVisit{idx, ti, v.Start})
		v.Release()
	}
	slices.SortStableFunc(out, func(a, b sentVisit) int { return a.start.Compare(b.start) })
	return out
}

// TestWrong6BackfillDayOutOfMemory: a backfill day was generated whole,
// every visit encoded and sorted before the first was sent, so a day of a
// few million visits ran out of memory. The day is now a stream: the test
// sends a day of 20,000 visits with bounds of 2,500 visits placed per pass
// and batches of 128, and checks that the generator never held more than
// three batches of visits and one pass of placements at once, and that
// the visits came out exactly as the whole-day sort ordered them, to the
// same targets.
func TestWrong6BackfillDayOutOfMemory(t *testing.T) {
	const perDay, group, batch = 20000, 2500, 128
	p := bfCompile(t, bfScenario(bfSpec{
		Targets: []string{"http://127.0.0.1:9/matomo.php", "http://127.0.0.1:9/matomo.php"},
		Window:  "from: 2026-10-20, to: 2026-10-20", PerDay: "20000",
	}), bfClock)
	day := p.Backfill.Days[0]
	if day.Visits != perDay {
		t.Fatalf("the day has %d visits, want %d", day.Visits, perDay)
	}
	b := streamBackfill(t, p)
	want := wholeDay(t, p, b, day)

	s := b.newDayStream(day, nil, nil)
	s.group, s.batch = group, batch
	var got []sentVisit
	s.each(func(j job) bool {
		got = append(got, sentVisit{j.index, j.target, j.start})
		return true
	})
	if len(got) != len(want) {
		t.Fatalf("the stream sent %d visits, the day has %d", len(got), len(want))
	}
	for k := range want {
		if got[k].index != want[k].index || got[k].target != want[k].target || !got[k].start.Equal(want[k].start) {
			t.Fatalf("visit #%d sent: %+v, whole-day order: %+v", k, got[k], want[k])
		}
	}
	if peak := s.heldPeak.Load(); peak > 3*batch || peak < batch {
		t.Errorf("the generator held up to %d visits at once, want between %d and %d (3 batches)", peak, batch, 3*batch)
	}
	// A pass takes the hours of about `group` visits; the hours' counts
	// are random around their expectation, and append grows the slice
	// ahead of them.
	t.Logf("held at most %d visits, %d placements; %d passes", s.heldPeak.Load(), s.placedPeak, len(s.groups()))
	if s.placedPeak > 2*group {
		t.Errorf("a pass held %d placements, want at most about %d", s.placedPeak, 2*group)
	}
	if n := len(s.groups()); n < perDay/group {
		t.Errorf("the day was cut into %d passes, want at least %d", n, perDay/group)
	}
}

// TestStreamKeepsLongVisitsOnTheirHour: visits longer than an hour start
// in an earlier hour than the one drawn for them. The stream sends them
// with the hour they were drawn in: the same visits, to the same targets,
// each pass in the order of first hits.
func TestStreamKeepsLongVisitsOnTheirHour(t *testing.T) {
	p := bfCompile(t, bfScenario(bfSpec{
		Targets: []string{"http://127.0.0.1:9/matomo.php"},
		Window:  "from: 2026-10-20, to: 2026-10-20", PerDay: "3000", Duration: "{min: 50m, max: 3h}",
	}), bfClock)
	day := p.Backfill.Days[0]
	b := streamBackfill(t, p)
	want := wholeDay(t, p, b, day)
	s := b.newDayStream(day, nil, nil)
	s.group, s.batch = 400, 64
	var got []sentVisit
	s.each(func(j job) bool {
		got = append(got, sentVisit{j.index, j.target, j.start})
		return true
	})
	key := func(v sentVisit) uint64 { return v.index }
	if !slices.Equal(sortedKeys(got, key), sortedKeys(want, key)) {
		t.Fatalf("the stream sent other visits than the day has (%d, want %d)", len(got), len(want))
	}
	late := 0
	for k := 1; k < len(got); k++ {
		if got[k].start.Before(got[k-1].start) {
			late++
		}
	}
	if late == 0 || late > len(got)/10 {
		t.Errorf("%d visits of %d sent before one that starts earlier; want a few (the long ones)", late, len(got))
	}
}

func sortedKeys(vs []sentVisit, key func(sentVisit) uint64) []uint64 {
	out := make([]uint64, len(vs))
	for k, v := range vs {
		out[k] = key(v)
	}
	slices.Sort(out)
	return out
}
