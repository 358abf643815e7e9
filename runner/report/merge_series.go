package report

import (
	"maps"
	"math"
	"slices"
)

// seriesStepS is the width of a report time-series bucket in seconds
// (runner/series.go samples every 10 s).
const seriesStepS = 10

// sampleLateS is how late after a bucket's end its sample may be taken:
// the runner samples on a one-second ticker.
const sampleLateS = 1

// bucketOf numbers the bucket a point closes: 1 for (0, 10 s], 2 for
// (10 s, 20 s], ... A point taken up to a second after a bucket's end
// belongs to that bucket; the last, partial bucket of a run belongs to
// the bucket it falls in.
func bucketOf(t float64) int {
	return max(1, int(math.Ceil((t-sampleLateS)/seriesStepS)))
}

// mergeSeries merges time series by bucket (the offset since the start of
// each run): counts are summed; t is the latest end among the merged
// points; p95_ms is the largest of the parts' p95s, an upper bound of the
// merged p95 (a percentile of a bucket cannot be merged exactly, unlike
// the run's histograms).
func mergeSeries(lists [][]Point) []Point {
	byBucket := map[int]*Point{}
	for _, list := range lists {
		for _, p := range list {
			k := bucketOf(p.T)
			m, ok := byBucket[k]
			if !ok {
				c := p
				byBucket[k] = &c
				continue
			}
			m.T = max(m.T, p.T)
			m.Visits += p.Visits
			m.Hits += p.Hits
			m.Errors += p.Errors
			m.Dropped += p.Dropped
			m.P95Ms = max(m.P95Ms, p.P95Ms)
		}
	}
	out := make([]Point, 0, len(byBucket))
	for _, k := range slices.Sorted(maps.Keys(byBucket)) {
		out = append(out, *byBucket[k])
	}
	return out
}
