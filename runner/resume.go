package runner

import (
	"math"
	"sort"

	"github.com/trafficinator/trafficinator/runner/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// resumeState indexes the day rows of an earlier report by date.
func resumeState(r *report.Report) map[string]report.DayRow {
	out := map[string]report.DayRow{}
	if r == nil || r.Backfill == nil {
		return out
	}
	for _, d := range r.Backfill.Days {
		out[d.Date] = d
	}
	return out
}

// alreadySent is the set of the visits of day that the run of prior sent:
// the Done ranges of an incomplete day, or all the visits of a day that
// was complete with fewer visits planned (today, in a run interrupted
// earlier in the day: its visits are day.First onwards, as now). Ranges
// outside the day, from a report of another window or edited by hand, are
// cut off, so that they can neither skip nor count other days' visits.
func alreadySent(prior report.DayRow, day plan.Day) indexSet {
	if day.Visits <= 0 {
		return nil
	}
	ranges := prior.Done
	if prior.Complete && prior.Planned > 0 {
		ranges = [][2]uint64{{day.First, day.First + uint64(min(prior.Planned, day.Visits)) - 1}}
	}
	lo, hi := day.First, day.First+uint64(day.Visits)-1
	in := make([][2]uint64, 0, len(ranges))
	for _, r := range ranges {
		r[0], r[1] = max(r[0], lo), min(r[1], hi)
		in = append(in, r)
	}
	return normalize(in)
}

// indexSet is a set of visit indices kept as sorted, disjoint, inclusive
// ranges: the visits of a day that were already sent.
type indexSet [][2]uint64

func (s indexSet) has(i uint64) bool {
	k := sort.Search(len(s), func(k int) bool { return s[k][1] >= i })
	return k < len(s) && s[k][0] <= i
}

func (s indexSet) count() int64 {
	var n int64
	for _, r := range s {
		n += int64(r[1]-r[0]) + 1
	}
	return n
}

// add returns the union of s and the indices in more.
func (s indexSet) add(more []uint64) indexSet {
	all := make([][2]uint64, 0, len(s)+len(more))
	all = append(all, s...)
	for _, i := range more {
		all = append(all, [2]uint64{i, i})
	}
	return normalize(all)
}

func (s indexSet) ranges() [][2]uint64 { return s }

// normalize sorts ranges and merges those that overlap or touch; ranges
// whose start is after their end are empty and dropped.
func normalize(rs [][2]uint64) indexSet {
	sort.Slice(rs, func(i, j int) bool { return rs[i][0] < rs[j][0] })
	var out indexSet
	for _, r := range rs {
		if r[0] > r[1] {
			continue
		}
		if n := len(out); n > 0 && (out[n-1][1] == math.MaxUint64 || r[0] <= out[n-1][1]+1) {
			out[n-1][1] = max(out[n-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}
