package live

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// LatencyBuckets are the upper bounds, in seconds, of
// trafficinator_request_duration_seconds. They are fixed so that every run
// and every target can be aggregated in PromQL.
var LatencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// latencyBuckets turns an HDR histogram of microseconds into the cumulative
// counts of a Prometheus histogram. A recorded value counts towards a bound
// when the lowest value HDR cannot tell apart from it is within the bound
// (HDR keeps three significant digits, so that is at most 0.1 % off). The
// sum is mean × count: HDR keeps no exact sum.
func latencyBuckets(h *hdr.Histogram) (count uint64, sum float64, buckets map[float64]uint64) {
	buckets = make(map[float64]uint64, len(LatencyBuckets))
	if h == nil || h.TotalCount() == 0 {
		for _, b := range LatencyBuckets {
			buckets[b] = 0
		}
		return 0, 0, buckets
	}
	var cum uint64
	i := 0
	for _, bar := range h.Distribution() {
		if bar.Count <= 0 {
			continue
		}
		for i < len(LatencyBuckets) && bar.From > micros(LatencyBuckets[i]) {
			buckets[LatencyBuckets[i]] = cum
			i++
		}
		cum += uint64(bar.Count)
	}
	for ; i < len(LatencyBuckets); i++ {
		buckets[LatencyBuckets[i]] = cum
	}
	count = uint64(h.TotalCount())
	return count, h.Mean() * float64(count) / 1e6, buckets
}

func micros(seconds float64) int64 { return int64(math.Round(seconds * 1e6)) }
