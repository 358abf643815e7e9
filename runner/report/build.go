package report

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// TargetFrom fills a report target from a metrics snapshot.
func TargetFrom(name string, s metrics.Snapshot) Target {
	t := Target{Name: name, Counters: s.Counters, Latency: latency(s)}
	if s.Carried.Visits != 0 || s.Carried.Hits != 0 || s.Carried.Unsent != 0 {
		c := s.Carried
		t.Carried = &c
	}
	if s.Latency != nil {
		if b, err := s.Latency.Encode(hdr.V2CompressedEncodingCookieBase); err == nil {
			t.Histogram = string(b)
		}
	}
	return t
}

// Snapshot rebuilds the mergeable metric state of a report target.
func (t Target) Snapshot() (metrics.Snapshot, error) {
	s := metrics.Snapshot{Counters: t.Counters.Clone()}
	if t.Carried != nil {
		s.Carried = t.Carried.Clone()
	}
	if t.Histogram == "" {
		s.Latency = metrics.NewLatencyHistogram()
		return s, nil
	}
	h, err := decodeHistogram(t.Histogram)
	if err != nil {
		return s, err
	}
	s.Latency = h
	return s, nil
}

func latency(s metrics.Snapshot) Latency {
	if s.Latency == nil || s.Latency.TotalCount() == 0 {
		return Latency{}
	}
	return Latency{
		P50: s.Percentile(50), P90: s.Percentile(90), P95: s.Percentile(95), P99: s.Percentile(99),
		Max: s.MaxMs(), Mean: math.Round(s.Latency.Mean()) / 1000,
	}
}
