package live

import (
	"math"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

func histogramOf(t *testing.T, values ...int64) *hdr.Histogram {
	t.Helper()
	h := metrics.NewLatencyHistogram()
	for _, v := range values {
		if err := h.RecordValue(v); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func TestLatencyBucketsAtTheBounds(t *testing.T) {
	// 1000 µs sits on the 1 ms bound, 1001 µs just past it. Above 2048 µs
	// HDR cannot tell 2500 from 2501 µs apart: both count within 2.5 ms,
	// while 2502 µs does not.
	h := histogramOf(t, 1000, 1001, 2500, 2501, 2502, 10_000_000, 10_010_000, 300_000_000)
	count, sum, buckets := latencyBuckets(h)
	if count != 8 {
		t.Fatalf("count %d, want 8", count)
	}
	want := map[float64]uint64{
		.001: 1, .0025: 4, .005: 5, .01: 5, .025: 5, .05: 5, .1: 5, .25: 5, .5: 5, 1: 5, 2.5: 5, 5: 5,
		10: 6, // 10 s on the bound; 10.01 s and the 5-minute cap only in +Inf
	}
	if len(buckets) != len(LatencyBuckets) {
		t.Fatalf("%d buckets, want %d", len(buckets), len(LatencyBuckets))
	}
	for le, n := range want {
		if buckets[le] != n {
			t.Errorf("le=%v: %d, want %d", le, buckets[le], n)
		}
	}
	exact := (1000 + 1001 + 2500 + 2501 + 2502 + 10_000_000 + 10_010_000 + 300_000_000) / 1e6
	if math.Abs(sum-exact) > exact/1000 {
		t.Errorf("sum %v s, want %v within 0.1 %%", sum, exact)
	}
}

func TestLatencyBucketsAreCumulative(t *testing.T) {
	var values []int64
	for i := int64(1); i <= 20000; i++ {
		values = append(values, i*i%15_000_000+1) // spread over 1 µs .. 15 s
	}
	h := histogramOf(t, values...)
	count, _, buckets := latencyBuckets(h)
	prev := uint64(0)
	for _, le := range LatencyBuckets {
		exact := uint64(0)
		for _, v := range values {
			if v <= micros(le) {
				exact++
			}
		}
		// HDR merges values within 0.1 % of each other: a bucket may hold
		// the few values just past its bound, never fewer than it should.
		slack := uint64(0)
		for _, v := range values {
			if v > micros(le) && float64(v) <= float64(micros(le))*1.001 {
				slack++
			}
		}
		if got := buckets[le]; got < exact || got > exact+slack || got < prev {
			t.Errorf("le=%v: %d, want %d..%d and at least %d (le before)", le, got, exact, exact+slack, prev)
		}
		prev = buckets[le]
	}
	if count != uint64(len(values)) || prev > count {
		t.Errorf("count %d, last bucket %d, want %d and at most count", count, prev, len(values))
	}
}

func TestLatencyBucketsEmpty(t *testing.T) {
	for name, h := range map[string]*hdr.Histogram{"nil": nil, "empty": metrics.NewLatencyHistogram()} {
		count, sum, buckets := latencyBuckets(h)
		if count != 0 || sum != 0 || len(buckets) != len(LatencyBuckets) {
			t.Errorf("%s: count %d sum %v buckets %v", name, count, sum, buckets)
		}
		for le, n := range buckets {
			if n != 0 {
				t.Errorf("%s: le=%v holds %d", name, le, n)
			}
		}
	}
}
