package report_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// shardInputs are reports of shards "i/n" of run id, one file each.
func shardInputs(id string, n int, idx ...int) []report.Input {
	var in []report.Input
	for _, i := range idx {
		rec := newRec()
		fill(rec, i*100, i*100+50, all)
		r := reportFrom(id, digestA, t0, 10*time.Second, named{"a", rec})
		r.Run.Shard = &report.Shard{Index: i, Count: n}
		in = append(in, report.Input{Source: fmt.Sprintf("shard-%d.json", i), Report: r})
	}
	return in
}

// TestMergeShardsComplete: every shard of one run once merges into one
// run with that id, its parts keeping their shard.
func TestMergeShardsComplete(t *testing.T) {
	m, err := report.Merge(shardInputs("r1", 3, 2, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if m.Run.ID != "r1" || m.Run.Shard != nil || len(m.MergedFrom) != 3 {
		t.Fatalf("merged run %q shard %v from %d parts", m.Run.ID, m.Run.Shard, len(m.MergedFrom))
	}
	if s := m.MergedFrom[0].Shard; s == nil || *s != (report.Shard{Index: 2, Count: 3}) {
		t.Errorf("first part's shard %v, want 2/3", s)
	}
	if m.Total.Counters.Requests != 150 {
		t.Errorf("%d requests, want 150", m.Total.Counters.Requests)
	}
	// The merged report of every shard merges again with another run.
	other := reportFrom("solo", digestA, t0, 10*time.Second, named{"a", newRec()})
	if m2, err := report.Merge([]report.Input{{Source: "all.json", Report: m}, {Source: "solo.json", Report: other}}); err != nil || m2.Run.ID != "r1+solo" {
		t.Errorf("the shards of r1 and another run: %v", err)
	}
	// And with two shards of another run: they must be complete too.
	_, err = report.Merge(append([]report.Input{{Source: "all.json", Report: m}}, shardInputs("r2", 3, 0, 1)...))
	if want := "shard 2/3 of run r2 is missing: a sharded run merges with all its 3 shards"; err == nil || err.Error() != want {
		t.Errorf("r1 and part of r2: %v, want %s", err, want)
	}
}

// TestMergeShardsRefused: a missing shard, a shard given twice and shards
// that are not of one run are refused, each with its message.
func TestMergeShardsRefused(t *testing.T) {
	notShard := shardInputs("r1", 2, 1)
	notShard[0].Report.Run.Shard = nil
	notShard[0].Source = "plain.json"
	for _, c := range []struct {
		name string
		in   []report.Input
		want string
	}{
		{"missing", shardInputs("r1", 4, 0, 1, 3), "shard 2/4 of run r1 is missing: a sharded run merges with all its 4 shards"},
		{"two missing", shardInputs("r1", 4, 0, 2), "shards 1/4, 3/4 of run r1 are missing: a sharded run merges with all its 4 shards"},
		{"twice", shardInputs("r1", 4, 0, 1, 1, 2, 3), "shard 1/4 of run r1 is given twice (shard-1.json): each shard is merged once, or its counts would be doubled"},
		{"twice in two files", append(shardInputs("r1", 2, 0, 1), report.Input{Source: "copy.json", Report: shardInputs("r1", 2, 1)[0].Report}),
			"shard 1/2 of run r1 is given twice (shard-1.json and copy.json): each shard is merged once, or its counts would be doubled"},
		{"other run", append(shardInputs("r1", 2, 0), shardInputs("r2", 2, 1)...), "shard 1/2 of run r1 is missing: a sharded run merges with all its 2 shards"},
		{"other count", append(shardInputs("r1", 2, 0), shardInputs("r1", 3, 1)...), "shard-0.json is shard 0/2 of run r1 and shard-1.json shard 1/3: the shards of one run have one count"},
		{"not a shard", append(shardInputs("r1", 2, 0), notShard...), "shard-0.json is shard 0/2 of run r1 and plain.json holds run r1 without a shard: only the shards of a run share its id"},
	} {
		_, err := report.Merge(c.in)
		var se *report.ShardError
		if !errors.As(err, &se) || err.Error() != c.want {
			t.Errorf("%s: %v\nwant %s", c.name, err, c.want)
		}
	}
}
