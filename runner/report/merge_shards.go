package report

import (
	"fmt"
	"strings"
)

// ShardError says that the shards among the reports to merge are not
// every shard of their run, each once (apply --shard, docs/scale.md): a
// merge of part of a run would pass as the whole, and a shard given twice
// would double its counts.
type ShardError struct{ msg string }

func (e *ShardError) Error() string { return e.msg }

// sourcedPart is a run a merge adds up and the file that holds it.
type sourcedPart struct {
	source string
	Part
}

// checkShards checks the shards among the inputs' runs, run id by run id
// (the scenario digest is checked before): one count, every index
// 0 … n−1 exactly once, and no run of that id that is not a shard. Runs
// without a shard are left to checkRepeatedRuns: the shards of one run
// merge with other runs of the scenario as one run.
func checkShards(in []Input) error {
	var order []string
	byRun := map[string][]sourcedPart{}
	for _, x := range in {
		for _, p := range partsOf(x) {
			if _, ok := byRun[p.ID]; !ok {
				order = append(order, p.ID)
			}
			byRun[p.ID] = append(byRun[p.ID], sourcedPart{x.Source, p})
		}
	}
	for _, id := range order {
		if err := checkRunShards(byRun[id]); err != nil {
			return err
		}
	}
	return nil
}

// checkRunShards checks the parts of one run id.
func checkRunShards(parts []sourcedPart) error {
	var first *sourcedPart
	for i := range parts {
		if parts[i].Shard != nil {
			first = &parts[i]
			break
		}
	}
	if first == nil {
		return nil
	}
	n := first.Shard.Count
	seen := make([]string, n)
	resumed := make([]bool, n)
	for _, p := range parts {
		switch {
		case p.Shard == nil:
			return &ShardError{fmt.Sprintf("%s is shard %s of run %s and %s holds run %s without a shard: only the shards of a run share its id", first.source, first.Shard, first.ID, p.source, p.ID)}
		case p.Shard.Count != n || p.Shard.Index < 0 || p.Shard.Index >= n:
			return &ShardError{fmt.Sprintf("%s is shard %s of run %s and %s shard %s: the shards of one run have one count", first.source, first.Shard, first.ID, p.source, p.Shard)}
		case seen[p.Shard.Index] != "":
			where := p.source
			if seen[p.Shard.Index] != p.source {
				where = seen[p.Shard.Index] + " and " + p.source
			}
			why := "each shard is merged once, or its counts would be doubled"
			if resumed[p.Shard.Index] || p.Resumed {
				why = lastAttemptOnly
			}
			return &ShardError{fmt.Sprintf("shard %s of run %s is given twice (%s): %s", p.Shard, p.ID, where, why)}
		}
		seen[p.Shard.Index], resumed[p.Shard.Index] = p.source, p.Resumed
	}
	var missing []string
	for i, s := range seen {
		if s == "" {
			missing = append(missing, Shard{Index: i, Count: n}.String())
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return &ShardError{fmt.Sprintf("shard %s of run %s is missing: a sharded run merges with all its %d shards", missing[0], first.ID, n)}
	}
	return &ShardError{fmt.Sprintf("shards %s of run %s are missing: a sharded run merges with all its %d shards", strings.Join(missing, ", "), first.ID, n)}
}
