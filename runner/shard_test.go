package runner

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// TestShardOfSplitsEvenly: every index has exactly one shard, the same on
// every call, and a day's worth of indices spreads within a few percent.
func TestShardOfSplitsEvenly(t *testing.T) {
	for _, n := range []int{1, 2, 4, 8} {
		counts := make([]int, n)
		for i := uint64(0); i < 8000; i++ {
			s := ShardOf(i, n)
			if s < 0 || s >= n || ShardOf(i, n) != s {
				t.Fatalf("ShardOf(%d, %d) = %d", i, n, s)
			}
			counts[s]++
		}
		for k, c := range counts {
			if want := 8000 / n; c < want*90/100 || c > want*110/100 {
				t.Errorf("n=%d: shard %d has %d of 8000 indices, want about %d", n, k, c, want)
			}
		}
	}
}

// TestShardUnionIsTheWholeBackfill runs a two-target backfill whole and
// as three shards: the shards' hits at each target are, as a multiset,
// exactly the whole run's; their day rows add up to the whole run's; and
// each report names its shard.
func TestShardUnionIsTheWholeBackfill(t *testing.T) {
	spec := bfSpec{Window: "from: 2026-10-24, to: 2026-10-26", PerDay: "40", Concurrency: 8}
	whole := []*capture{startCapture(t, "Europe/Stockholm"), startCapture(t, "Europe/Stockholm")}
	parts := []*capture{startCapture(t, "Europe/Stockholm"), startCapture(t, "Europe/Stockholm")}
	spec.Targets = []string{whole[0].url, whole[1].url}
	rep := runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "shards"})
	spec.Targets = []string{parts[0].url, parts[1].url}
	var planned, delivered int64
	for i := range 3 {
		sh := &Shard{Index: i, Count: 3}
		r := runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "shards", Shard: sh})
		if r.Run.Shard == nil || *r.Run.Shard != *sh || r.Run.ID != "shards" {
			t.Errorf("shard %d: report run id %q shard %v", i, r.Run.ID, r.Run.Shard)
		}
		for _, d := range r.Backfill.Days {
			planned += d.Planned
			delivered += d.Delivered
			if !d.Complete {
				t.Errorf("shard %d day %s incomplete: %+v", i, d.Date, d)
			}
		}
		if r.Run.ExitCode != 0 {
			t.Errorf("shard %d: exit code %d", i, r.Run.ExitCode)
		}
	}
	if planned != 120 || delivered != 120 {
		t.Errorf("shards planned %d and delivered %d visits, want 120 and 120", planned, delivered)
	}
	if rep.Total.Counters.Hits == 0 {
		t.Fatal("the whole run sent nothing")
	}
	for k := range whole {
		a, b := canonicalAll(whole[k].all()), canonicalAll(parts[k].all())
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("target %d: the whole run's %d hits and the shards' %d differ as multisets", k, len(a), len(b))
		}
	}
}

// canonicalAll is the sorted list of hits' canonical parameters.
func canonicalAll(hits []gotHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = canonical(h.params)
	}
	slices.Sort(out)
	return out
}

// TestShardRefusesRealtime: a realtime run's drops depend on timing, so it
// is not sharded; a shard out of range is refused too.
func TestShardRefusesRealtime(t *testing.T) {
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{"http://127.0.0.1:1"}, Window: "from: 2026-10-24, to: 2026-10-24"}), bfClock)
	if err := CheckShard(&report.Shard{Index: 4, Count: 4}, p); err == nil || err.Error() != "shard 4/4: want i/n with n ≥ 1 and 0 ≤ i < n" {
		t.Errorf("4/4: %v", err)
	}
	p.Backfill = nil
	if err := CheckShard(&report.Shard{Index: 0, Count: 2}, p); err == nil || !strings.HasPrefix(err.Error(), "only a backfill scenario runs in shards") {
		t.Errorf("realtime: %v", err)
	}
}

// TestShardResumes: a shard stopped by run.max_visits resumes from its
// journal and then has sent exactly what the shard sends in one go; a
// journal of another shard, or of the whole run, is refused.
func TestShardResumes(t *testing.T) {
	spec := bfSpec{Window: "from: 2026-10-24, to: 2026-10-25", PerDay: "30", Concurrency: 4}
	once, twice := startCapture(t, "Europe/Stockholm"), startCapture(t, "Europe/Stockholm")
	sh := &Shard{Index: 1, Count: 2}
	spec.Targets = []string{once.url}
	runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "res", Shard: sh})

	spec.Targets = []string{twice.url}
	state := t.TempDir() + "/shard.state"
	p := bfCompile(t, bfScenario(spec), bfClock)
	p.Stop.MaxVisits = 10
	first := runBF(t, context.Background(), p, Options{RunID: "res", Shard: sh, State: state, Grace: time.Minute})
	if first.Run.StopReason != "max_visits" {
		t.Fatalf("first part stopped: %s", first.Run.StopReason)
	}
	st, _, err := ReadJournal(state)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []*Shard{nil, {Index: 0, Count: 2}} {
		_, err := Run(context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "res", Shard: other, Resume: st, NoPreflight: true})
		want := "the journal is of shard 1/2 and this run is " + describeShard(shardName(other)) + ": a shard resumes only its own journal"
		if err == nil || err.Error() != want {
			t.Errorf("resume as %v: %v, want %s", other, err, want)
		}
	}
	rest := runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "res", Shard: sh, Resume: st, State: state + "2"})
	for _, d := range rest.Backfill.Days {
		if !d.Complete {
			t.Errorf("day %s incomplete after the resume: %+v", d.Date, d)
		}
	}
	a, b := canonicalAll(once.all()), canonicalAll(twice.all())
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("the shard in one go sent %d hits, stopped and resumed %d: not the same multiset", len(a), len(b))
	}
}
