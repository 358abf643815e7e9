package runner

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
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

// TestShardRealtime runs a realtime schedule of 60 visits without drops
// whole and as two shards: the shards' hits are the whole run's, but for
// the parameters that carry the moment a hit was sent.
func TestShardRealtime(t *testing.T) {
	run := func(c *capture, sh *Shard) *report.Report {
		yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: shards}
run: {rate: 200/s, concurrency: 400, seed: 11, max_visits: 60}
targets:
  - {name: m, kind: matomo, url: %q, site_id: 1, token_auth: %s}
traffic:
  pageviews: {min: 1, max: 4}
  pause: {min: 0s, max: 0s}
  features:
    ecommerce: {probability: 0.4}
`, c.url, bfToken)
		res := scenario.Load("shards.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
		if !res.Valid() {
			t.Fatalf("invalid scenario: %v", res.Diags)
		}
		p, err := plan.Compile(res.Scenario, plan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Run(context.Background(), p, Options{RunID: "rt", NoPreflight: true, Grace: exec.WaitForAll, Shard: sh})
		if err != nil {
			t.Fatal(err)
		}
		if d := rep.Total.Counters.Dropped; d != 0 {
			t.Fatalf("%d visits dropped: not comparable", d)
		}
		return rep
	}
	whole, parts := startCapture(t, "UTC"), startCapture(t, "UTC")
	w := run(whole, nil)
	var visits int64
	for i := range 2 {
		r := run(parts, &Shard{Index: i, Count: 2})
		visits += r.Total.Counters.Visits
		if r.Run.Shard == nil || r.Run.Shard.Index != i {
			t.Errorf("shard %d: report shard %v", i, r.Run.Shard)
		}
	}
	if w.Total.Counters.Visits != 60 || visits != 60 {
		t.Errorf("whole run %d visits, shards %d: want 60 and 60", w.Total.Counters.Visits, visits)
	}
	a, b := untimed(whole.all()), untimed(parts.all())
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("the whole run's %d hits and the shards' %d differ as multisets", len(a), len(b))
		for k := range a {
			if a[k] != b[k] {
				t.Logf("first difference:\n%s\n%s", a[k], b[k])
				break
			}
		}
	}
}

// untimed is the sorted hits' canonical parameters without cdt and the
// visitor's local time h, m, s, which a realtime hit sets to the moment
// it is sent.
func untimed(hits []gotHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		q := url.Values{}
		for k, v := range h.params {
			switch k {
			case "cdt", "h", "m", "s": // the moment it was sent
			default:
				q[k] = v
			}
		}
		out[i] = canonical(q)
	}
	slices.Sort(out)
	return out
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

// TestCheckShardRange: i/n with 0 ≤ i < n only.
func TestCheckShardRange(t *testing.T) {
	for _, s := range []Shard{{Index: 4, Count: 4}, {Index: -1, Count: 2}, {Index: 0, Count: 0}} {
		want := fmt.Sprintf("shard %d/%d: want i/n with n ≥ 1 and 0 ≤ i < n", s.Index, s.Count)
		if err := CheckShard(&s); err == nil || err.Error() != want {
			t.Errorf("%v: %v", s, err)
		}
	}
	if err := CheckShard(&Shard{Index: 3, Count: 4}); err != nil {
		t.Error(err)
	}
}
