package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/journal"
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
	state := filepath.Join(t.TempDir(), "run.state")
	first := runBF(t, ctx, p, Options{RunID: "resume", State: state, Grace: 30 * time.Second})
	for _, c := range caps {
		c.setHook(nil)
	}
	if first.Run.StopReason != "interrupted" || first.Run.ExitCode != 130 {
		t.Fatalf("first run: stop reason %q, exit %d; want interrupted, 130", first.Run.StopReason, first.Run.ExitCode)
	}
	rows := first.Backfill.Days
	if len(rows) != 5 {
		t.Fatalf("first run: %d day rows, want 5 (those not reached too): %+v", len(rows), rows)
	}
	for _, r := range rows[:2] {
		if !r.Complete || r.Delivered != r.Planned || r.Undelivered != 0 {
			t.Errorf("first run: day %s not complete: %+v", r.Date, r)
		}
	}
	r3 := rows[2]
	if r3.Date != day3 || r3.Complete || r3.Delivered == 0 || r3.Delivered+r3.Undelivered != r3.Planned {
		t.Fatalf("first run: day 3 row %+v, want a part of %d delivered", r3, p.Backfill.Days[2].Visits)
	}
	for _, r := range rows[3:] {
		if r.Complete || r.Undelivered != r.Planned || r.OK != 0 {
			t.Errorf("first run: day %s not reached, row %+v", r.Date, r)
		}
	}
	if v := first.Backfill.Verdicts; len(v) != 1 || v[0].Name != VerdictUndelivered {
		t.Errorf("first run: verdicts %+v, want undelivered_visits", v)
	}

	// Resume from the journal file, appending to it.
	prior, _, err := journal.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	p2 := bfCompile(t, yaml, bfClock)
	second := runBF(t, context.Background(), p2, Options{Resume: prior, State: state})
	if second.Run.ID != "resume" {
		t.Errorf("resumed run id %q, want the first run's (order ids must not change)", second.Run.ID)
	}
	if second.Run.StopReason != "completed" || second.Run.ExitCode != 0 || len(second.Backfill.Verdicts) != 0 {
		t.Errorf("resumed run: stop reason %q, exit %d, verdicts %+v", second.Run.StopReason, second.Run.ExitCode, second.Backfill.Verdicts)
	}
	for i, r := range second.Backfill.Days {
		day := p.Backfill.Days[i]
		if r.Date != day.Date || !r.Complete || r.Delivered != day.Visits || r.Resumed != (i < 2) {
			t.Errorf("resumed run: day row %+v, want %s complete with %d delivered, resumed %v", r, day.Date, day.Visits, i < 2)
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
// the journal.
func TestBackfillResumeOfCompleteRun(t *testing.T) {
	c := startCapture(t, "UTC")
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Timezone: "UTC", Window: "from: 2026-11-01, to: 2026-11-02", PerDay: "20"})
	state := filepath.Join(t.TempDir(), "run.state")
	first := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{State: state})
	n := len(c.all())
	prior, _, err := journal.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	second := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{Resume: prior})
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

// TestBackfillResumeRefusesOtherSeed: another seed makes other visits, so
// what the journal lacks is not what the run would send.
func TestBackfillResumeRefusesOtherSeed(t *testing.T) {
	c := startCapture(t, "UTC")
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Timezone: "UTC", Window: "from: 2026-11-01, to: 2026-11-01", PerDay: "5"})
	state := filepath.Join(t.TempDir(), "run.state")
	runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{State: state})
	prior, _, err := journal.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	prior.Header.Seed = 99
	_, err = Run(context.Background(), bfCompile(t, yaml, bfClock), Options{Resume: prior, NoPreflight: true})
	want := "the journal is of seed 99 and this run of seed 5: other seeds make other visits"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
