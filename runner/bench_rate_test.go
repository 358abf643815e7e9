package runner_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// BenchmarkRateAccuracy200 runs 60 s at 200 visits/s against the sink,
// with pauses of 1-20 ms, and reports the arrival rate the sink saw
// (first hits of visits over the time between the first and the last)
// against the plan: it must be within 1 %. It also reports the count of
// arrivals (started plus dropped) against the plan, which is exact, and
// the largest distance of a visit's first hit from its due time. One
// iteration whatever b.N asks.
func BenchmarkRateAccuracy200(b *testing.B) {
	const rate, window = 200, 60 * time.Second
	var mu sync.Mutex
	var first, last time.Time
	var maxLag time.Duration
	firsts := 0
	s := startSink(b, loadtest.SinkConfig{OnHit: func(p url.Values, at time.Time) {
		if p.Get("new_visit") != "1" {
			return
		}
		mu.Lock()
		if firsts == 0 {
			first = at
		}
		// The k-th first hit is due k/rate after the first one.
		due := first.Add(time.Duration(firsts) * time.Second / rate)
		maxLag = max(maxLag, at.Sub(due), due.Sub(at))
		last = at
		firsts++
		mu.Unlock()
	}})
	p := compile(b, scenarioYAML(scenarioSpec{URL: s.URL, Rate: fmt.Sprintf("%d/s", rate), Duration: window.String(), Concurrency: 1000,
		Pause: [2]string{"1ms", "20ms"}}))
	rep, _ := run(b, context.Background(), p, time.Minute)
	c := rep.Total.Counters
	mu.Lock()
	defer mu.Unlock()
	if int64(firsts) != c.Visits || firsts < 2 {
		b.Fatalf("sink saw %d first hits, engine started %d visits", firsts, c.Visits)
	}
	planned := float64(rate * window / time.Second)
	// n evenly spaced arrivals span n-1 intervals.
	achieved := float64(firsts-1) / last.Sub(first).Seconds()
	b.ReportMetric(achieved/rate, "achieved/planned")
	b.ReportMetric((achieved/rate-1)*100, "rate-error-%")
	b.ReportMetric(float64(c.Visits+c.Dropped)/planned, "arrivals/planned")
	b.ReportMetric(float64(c.Dropped), "dropped")
	b.ReportMetric(float64(maxLag)/float64(time.Millisecond), "max-drift-ms")
	b.ReportMetric(0, "ns/op")
	if r := achieved / rate; r < 0.99 || r > 1.01 {
		b.Errorf("achieved %.2f visits/s, planned %d: off by more than 1 %%", achieved, rate)
	}
}
