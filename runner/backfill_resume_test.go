package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// TestBackfillResumeAfterInterrupt interrupts a 5-day backfill in the
// middle of day 3, resumes it from the report (read back from its JSON
// file, as apply --resume does) and checks, over both runs, that every
// planned visit was sent exactly once and to the target the plan routes it
// to: the router is advanced for the days and visits that are skipped.
// Random routing makes any shift in the router's draws show.
func TestBackfillResumeAfterInterrupt(t *testing.T) {
	caps := []*capture{startCapture(t, "Europe/Stockholm"), startCapture(t, "Europe/Stockholm")}
	yaml := bfScenario(bfSpec{
		Targets: []string{caps[0].url, caps[1].url}, Window: "from: 2026-10-20, to: 2026-10-24", PerDay: "200", RPS: 500,
		Routing: "random",
	})
	p := bfCompile(t, yaml, bfClock)
	planned := regenerate(t, p, "resume", time.Now())
	dayOf := byVisitor(t, planned)
	day3 := p.Backfill.Days[2].Date

	// Interrupt once the sinks have seen 300 hits of day 3 (about a
	// quarter of it): at 500 visits/s, 0.3 s before its end.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var day3Hits atomic.Int64
	for _, c := range caps {
		c.setHook(func(h gotHit) {
			if dayOf[h.params.Get("_id")] == day3 && day3Hits.Add(1) == 300 {
				cancel()
			}
		})
	}
	first := runBF(t, ctx, p, Options{RunID: "resume"})
	for _, c := range caps {
		c.setHook(nil)
	}
	if first.Run.StopReason != "interrupted" {
		t.Fatalf("first run: stop reason %q, want interrupted", first.Run.StopReason)
	}
	rows := first.Backfill.Days
	if len(rows) != 3 {
		t.Fatalf("first run: %d day rows, want 3 (the days after the interrupted one have none): %+v", len(rows), rows)
	}
	for _, r := range rows[:2] {
		if !r.Complete || r.Sent != r.Planned || r.Done != nil {
			t.Errorf("first run: day %s not complete: %+v", r.Date, r)
		}
	}
	r3 := rows[2]
	if r3.Date != day3 || r3.Complete || r3.Sent == 0 || r3.Sent >= r3.Planned {
		t.Fatalf("first run: day 3 row %+v, want a part of %d sent", r3, p.Backfill.Days[2].Visits)
	}
	if n := indexSet(r3.Done).count(); n != r3.Sent {
		t.Errorf("first run: day 3 lists %d visits done, %d sent", n, r3.Sent)
	}

	// Resume from the report file.
	path := filepath.Join(t.TempDir(), "report.json")
	b, err := json.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	prior, err := report.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p2 := bfCompile(t, yaml, bfClock)
	second := runBF(t, context.Background(), p2, Options{Resume: prior})
	if second.Run.ID != "resume" {
		t.Errorf("resumed run id %q, want the first run's (order ids must not change)", second.Run.ID)
	}
	if second.Run.StopReason != "completed" {
		t.Errorf("resumed run: stop reason %q", second.Run.StopReason)
	}
	for i, r := range second.Backfill.Days {
		day := p.Backfill.Days[i]
		if r.Date != day.Date || !r.Complete || r.Sent != day.Visits || r.Resumed != (i < 2) {
			t.Errorf("resumed run: day row %+v, want %s complete with %d sent, resumed %v", r, day.Date, day.Visits, i < 2)
		}
	}
	if len(second.Backfill.Days) != len(p.Backfill.Days) {
		t.Fatalf("resumed run: %d day rows, want %d", len(second.Backfill.Days), len(p.Backfill.Days))
	}

	// Over both runs: each target got exactly the hits of the visits the
	// plan routes to it, each hit once.
	perDay := map[string]map[string]bool{}
	for ti, c := range caps {
		want := map[string]int{}
		var mine []plannedVisit
		for _, pv := range planned {
			if pv.target == ti {
				mine = append(mine, pv)
			}
		}
		for _, q := range plannedParams(t, mine) {
			want[canonical(q)]++
		}
		got := map[string]int{}
		for _, h := range c.all() {
			got[canonical(h.params)]++
			id := h.params.Get("_id")
			if perDay[dayOf[id]] == nil {
				perDay[dayOf[id]] = map[string]bool{}
			}
			perDay[dayOf[id]][id] = true
		}
		var dup, missing, extra int
		for q, n := range got {
			switch {
			case want[q] == 0:
				extra++
			case n > want[q]:
				dup++
			}
		}
		for q := range want {
			if got[q] == 0 {
				missing++
			}
		}
		if dup+missing+extra > 0 {
			t.Errorf("target %d: %d hits sent twice, %d missing, %d not routed to it (of %d planned)", ti, dup, missing, extra, len(want))
		}
	}
	for _, day := range p.Backfill.Days {
		if got := int64(len(perDay[day.Date])); got != day.Visits {
			t.Errorf("%s: %d distinct visitors over both runs, %d planned", day.Date, got, day.Visits)
		}
	}
}

// TestBackfillResumeOfCompleteRun sends nothing: every day is taken from
// the report.
func TestBackfillResumeOfCompleteRun(t *testing.T) {
	c := startCapture(t, "UTC")
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Timezone: "UTC", Window: "from: 2026-11-01, to: 2026-11-02", PerDay: "20"})
	first := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{})
	n := len(c.all())
	second := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{Resume: first})
	if got := len(c.all()); got != n {
		t.Errorf("resuming a complete run sent %d more hits", got-n)
	}
	for i, r := range second.Backfill.Days {
		want := first.Backfill.Days[i]
		want.Resumed = true
		if fmt.Sprint(r) != fmt.Sprint(want) {
			t.Errorf("day row %+v, want %+v", r, want)
		}
	}
	if second.Run.ID != first.Run.ID {
		t.Errorf("run id %q, want %q", second.Run.ID, first.Run.ID)
	}
}

// TestAlreadySent covers what a resumed day skips.
func TestAlreadySent(t *testing.T) {
	day := plan.Day{Date: "2026-10-22", First: 1000, Visits: 10}
	for _, tc := range []struct {
		name  string
		prior report.DayRow
		want  string
	}{
		{"no row", report.DayRow{}, "[]"},
		{"done ranges", report.DayRow{Done: [][2]uint64{{1003, 1004}, {1000, 1001}}}, "[[1000 1001] [1003 1004]]"},
		{"cut to the day", report.DayRow{Done: [][2]uint64{{990, 1002}, {1008, 5000}}}, "[[1000 1002] [1008 1009]]"},
		{"outside the day", report.DayRow{Done: [][2]uint64{{0, 999}, {1010, 1 << 63}}}, "[]"},
		{"backwards range", report.DayRow{Done: [][2]uint64{{1005, 1002}}}, "[]"},
		// Today, complete when fewer visits were due: those are skipped.
		{"complete, fewer planned", report.DayRow{Complete: true, Planned: 4, Sent: 4}, "[[1000 1003]]"},
		{"complete, more planned", report.DayRow{Complete: true, Planned: 40, Sent: 40}, "[[1000 1009]]"},
	} {
		got := alreadySent(tc.prior, day)
		if fmt.Sprint([][2]uint64(got)) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
	if got := alreadySent(report.DayRow{Done: [][2]uint64{{0, 5}}}, plan.Day{First: 0}); got != nil {
		t.Errorf("a day without visits skips %v", got)
	}
}

// TestIndexSet covers has, add and count.
func TestIndexSet(t *testing.T) {
	var s indexSet
	if s.has(0) || s.count() != 0 {
		t.Fatal("the empty set has members")
	}
	s = s.add([]uint64{7, 3, 4, 5, 9, 4})
	if got := fmt.Sprint(s.ranges()); got != "[[3 5] [7 7] [9 9]]" {
		t.Fatalf("add: %s", got)
	}
	if s.count() != 5 {
		t.Errorf("count %d, want 5", s.count())
	}
	for i, want := range map[uint64]bool{2: false, 3: true, 5: true, 6: false, 7: true, 8: false, 9: true, 10: false} {
		if s.has(i) != want {
			t.Errorf("has(%d) = %v", i, !want)
		}
	}
	// Adding fills the gaps and merges touching ranges.
	s = s.add([]uint64{6, 8})
	if got := fmt.Sprint(s.ranges()); got != "[[3 9]]" || s.count() != 7 {
		t.Errorf("after filling the gaps: %s (count %d)", got, s.count())
	}
	// The input is not changed.
	base := indexSet{{10, 20}}
	_ = base.add([]uint64{21})
	if fmt.Sprint(base) != "[[10 20]]" {
		t.Errorf("add changed its receiver: %v", base)
	}
	// The largest index does not wrap around.
	top := normalize([][2]uint64{{1<<64 - 2, 1<<64 - 1}, {5, 5}, {1<<64 - 1, 1<<64 - 1}})
	if fmt.Sprint(top) != "[[5 5] [18446744073709551614 18446744073709551615]]" || !top.has(1<<64-1) || top.has(0) {
		t.Errorf("normalize at the top: %v", top)
	}
}

// FuzzAlreadySent feeds Done ranges as a report file may hold them (any
// order, overlapping, backwards, outside the day): the set is sorted,
// disjoint, inside the day, and holds exactly the indices of the ranges
// that fall in it.
func FuzzAlreadySent(f *testing.F) {
	f.Add(uint64(1000), int64(10), uint64(1003), uint64(1004), uint64(990), uint64(1001), uint64(5), false)
	f.Add(uint64(0), int64(1), uint64(0), uint64(1<<64-1), uint64(1<<64-1), uint64(0), uint64(0), true)
	f.Add(uint64(1<<64-10), int64(9), uint64(1<<64-2), uint64(1<<64-1), uint64(3), uint64(2), uint64(1<<64-5), false)
	f.Add(uint64(1<<64-10), int64(9), uint64(1<<64-28), uint64(1<<64-1), uint64(3), uint64(2), uint64(1<<64-5), true)
	f.Fuzz(func(t *testing.T, first uint64, visits int64, a0, a1, b0, b1, probe uint64, complete bool) {
		visits %= 1 << 20
		if visits < 0 || first+uint64(visits) < first {
			return // no day ends past the last index
		}
		day := plan.Day{First: first, Visits: visits}
		prior := report.DayRow{Done: [][2]uint64{{a0, a1}, {b0, b1}}, Complete: complete, Planned: int64(a0 % 100)}
		s := alreadySent(prior, day)
		for k, r := range s {
			if r[0] > r[1] || r[0] < first || r[1] >= first+uint64(visits) {
				t.Fatalf("range %v outside day %d+%d", r, first, visits)
			}
			if k > 0 && r[0] <= s[k-1][1]+1 {
				t.Fatalf("ranges %v and %v overlap or touch", s[k-1], r)
			}
		}
		if s.count() > visits {
			t.Fatalf("%d indices in a day of %d", s.count(), visits)
		}
		inDay := func(i uint64) bool { return visits > 0 && i >= first && i-first < uint64(visits) }
		for _, i := range []uint64{probe, a0, a1, b0, b1, first} {
			want := inDay(i)
			if complete && prior.Planned > 0 {
				want = want && i-first < uint64(prior.Planned)
			} else {
				want = want && ((a0 <= i && i <= a1) || (b0 <= i && i <= b1))
			}
			if s.has(i) != want {
				t.Fatalf("has(%d) = %v, want %v (set %v)", i, s.has(i), want, s)
			}
		}
	})
}

// TestBackfillResumeWarnsOfOtherSeed: resuming with another seed would send
// other visits than the report lacks; the run says so.
func TestBackfillResumeWarnsOfOtherSeed(t *testing.T) {
	c := startCapture(t, "UTC")
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Timezone: "UTC", Window: "from: 2026-11-01, to: 2026-11-01", PerDay: "5"})
	first := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{})
	first.Run.Seed = 99
	var mu sync.Mutex
	var lines []string
	logf := func(format string, args ...any) {
		mu.Lock()
		lines = append(lines, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{Resume: first, Logf: logf})
	mu.Lock()
	defer mu.Unlock()
	want := "warning: --resume: the report's seed is 99 and this run's 5; set run.seed (or --seed 99) so that the resumed visits are the planned ones"
	if len(lines) == 0 || lines[0] != want {
		t.Errorf("log %q, want first %q", lines, want)
	}
}
