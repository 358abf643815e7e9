package runner

import (
	"fmt"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// Shard is one disjoint slice of a run (apply --shard i/n,
// docs/scale.md).
type Shard = report.Shard

// ShardOf is the shard, of count, that visit index belongs to: a hash of
// the index alone (splitmix64's finaliser), so that every shard of a run
// agrees on it whatever its seed, run id or concurrency, and each shard
// is a uniform sample of every day, hour and funnel. A plain index mod n
// would give shard 0 the first visit of every day (days start at
// multiples of plan.DayStride), one more visit a day than the others.
func ShardOf(index uint64, count int) int {
	z := index + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int(z % uint64(count))
}

// CheckShard refuses a shard that is not i/n with 0 ≤ i < n. A realtime
// run shards too (its visit numbers are the schedule's), but only a run
// without drops adds up exactly: what is dropped depends on timing.
func CheckShard(s *Shard) error {
	if s == nil {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want i/n with n ≥ 1 and 0 ≤ i < n", s.Index, s.Count)
	}
	return nil
}

// owns reports whether visit index is this run's: every visit when the
// run is not sharded.
func owns(s *Shard, index uint64) bool {
	return s == nil || ShardOf(index, s.Count) == s.Index
}

// shardVisits is how many of day's visits are this run's.
func shardVisits(s *Shard, day plan.Day) int64 {
	if s == nil {
		return day.Visits
	}
	var n int64
	for i := int64(0); i < day.Visits; i++ {
		if owns(s, day.First+uint64(i)) {
			n++
		}
	}
	return n
}
