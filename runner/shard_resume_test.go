package runner

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// TestResumedShardMergesWhole: a shard stopped after 10 visits and resumed
// reports the whole shard (its first attempt's visits carried from the
// journal), so that the last attempts of all shards merge into exactly
// the figures of the unsharded run: visits, hits by outcome and kind, what
// Matomo records, and the expected figures by day. The first attempt and
// its resume are refused together: the resume holds the first's figures.
func TestResumedShardMergesWhole(t *testing.T) {
	spec := bfSpec{Window: "from: 2026-10-24, to: 2026-10-25", PerDay: "30", Concurrency: 4}
	whole, parts := startCapture(t, "Europe/Stockholm"), startCapture(t, "Europe/Stockholm")
	spec.Targets = []string{whole.url}
	unsharded := runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "res"})

	spec.Targets = []string{parts.url}
	shard0 := runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "res", Shard: &Shard{Index: 0, Count: 2}})
	state := t.TempDir() + "/shard1.state"
	p := bfCompile(t, bfScenario(spec), bfClock)
	p.Stop.MaxVisits = 10
	sh := &Shard{Index: 1, Count: 2}
	first := runBF(t, context.Background(), p, Options{RunID: "res", Shard: sh, State: state, Grace: time.Minute})
	st, _, err := ReadJournal(state)
	if err != nil {
		t.Fatal(err)
	}
	rest := runBF(t, context.Background(), bfCompile(t, bfScenario(spec), bfClock), Options{RunID: "res", Shard: sh, Resume: st, State: state + "2"})

	if c := first.Total.Counters; c.Visits != 10 || first.Run.Resumed || first.Total.Carried != nil {
		t.Fatalf("first attempt: %d visits, resumed %v, carried %v", c.Visits, first.Run.Resumed, first.Total.Carried)
	}
	carried := rest.Targets[0].Carried
	if !rest.Run.Resumed || carried == nil || carried.Visits != 10 || carried.OK != first.Total.Counters.OK || carried.Hits != first.Total.Counters.Hits {
		t.Fatalf("the resume carries %+v of the first attempt's %d visits and %d hits (resumed %v)", carried, 10, first.Total.Counters.Hits, rest.Run.Resumed)
	}
	var table strings.Builder
	if err := report.WriteTable(&table, rest); err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("resumed: the figures include 10 visits and %d hits of earlier attempts, carried from the journal\n", first.Total.Counters.Hits)
	if !strings.Contains(table.String(), line) {
		t.Errorf("the table lacks %q:\n%s", line, table.String())
	}
	if got, want := rest.Total.Counters.Visits, shard0.Total.Counters.Visits; got+want != unsharded.Total.Counters.Visits {
		t.Errorf("shard visits %d + %d, want the unsharded %d", got, want, unsharded.Total.Counters.Visits)
	}

	merged, err := report.Merge([]report.Input{{Source: "shard0.json", Report: shard0}, {Source: "shard1.json", Report: rest}})
	if err != nil {
		t.Fatal(err)
	}
	sameAccount(t, "merged", merged.Total, unsharded.Total)

	_, err = report.Merge([]report.Input{{Source: "shard0.json", Report: shard0}, {Source: "shard1-first.json", Report: first}, {Source: "shard1.json", Report: rest}})
	var se *report.ShardError
	want := "shard 1/2 of run res is given twice (shard1-first.json and shard1.json): a resumed run's report holds the figures of its earlier attempts too; merge only the report of its last attempt"
	if !errors.As(err, &se) || err.Error() != want {
		t.Errorf("merging an attempt and its resume: %v\nwant %s", err, want)
	}
}

// sameAccount holds the whole-job figures of got against want: what a
// resume must carry for a merge to equal one run.
func sameAccount(t *testing.T, name string, got, want report.Target) {
	t.Helper()
	g, w := got.Counters, want.Counters
	pick := func(c metrics.Counters) [7]int64 {
		return [7]int64{c.Visits, c.Hits, c.OK, c.Rejected, c.Failed, c.Unknown, c.Unsent}
	}
	if pick(g) != pick(w) {
		t.Errorf("%s: visits, hits, ok, rejected, failed, unknown, unsent %v, want %v", name, pick(g), pick(w))
	}
	if !reflect.DeepEqual(g.HitsByKind, w.HitsByKind) {
		t.Errorf("%s: hits by kind %v, want %v", name, g.HitsByKind, w.HitsByKind)
	}
	if !reflect.DeepEqual(g.Sent, w.Sent) {
		t.Errorf("%s: sent %+v, want %+v", name, g.Sent, w.Sent)
	}
	if !reflect.DeepEqual(g.Funnels, w.Funnels) {
		t.Errorf("%s: funnels %+v, want %+v", name, g.Funnels, w.Funnels)
	}
	if got.Expected == nil || want.Expected == nil {
		t.Fatalf("%s: expected figures missing", name)
	}
	ge, we := *got.Expected, *want.Expected
	ge.Sample, we.Sample = nil, nil
	if !reflect.DeepEqual(ge.Days, we.Days) || !reflect.DeepEqual(ge.Total, we.Total) {
		t.Errorf("%s: expected figures\n got %+v\nwant %+v", name, ge, we)
	}
}
