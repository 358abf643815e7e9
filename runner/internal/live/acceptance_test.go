package live_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// op is one thing a simulated run records; opAt makes a fixed mix of them.
type op struct {
	visit   bool
	dropped int // hits of a dropped visit; -1: not a drop
	unsent  int
	req     *metrics.Request
}

func opAt(i int) op {
	switch i % 10 {
	case 0, 5:
		return op{visit: true, dropped: -1}
	case 7:
		return op{dropped: 3}
	case 9:
		return op{dropped: -1, unsent: 2}
	}
	kind := kind.HitKind(i % int(kind.NumHitKinds))
	switch i % 3 {
	case 0:
		q := request(kind, 2, "rejected", 400, 1, int64(1500+i%700), "http_4xx")
		return op{dropped: -1, req: &q}
	case 1:
		q := request(kind, 1, "failed", 503, 3, int64(40_000+i*13%90_000), "http_5xx")
		return op{dropped: -1, req: &q}
	}
	q := request(kind, 3, "ok", 204, 1, int64(200+i*7%30_000), "")
	return op{dropped: -1, req: &q}
}

func (o op) apply(r *metrics.Recorder) {
	switch {
	case o.visit:
		r.RecordVisit()
	case o.dropped >= 0:
		r.RecordDropped(o.dropped)
	case o.unsent > 0:
		r.RecordUnsent(o.unsent)
	default:
		r.RecordRequest(*o.req)
	}
}

// tally is what a scrape must show for one target after ops [0, n) of
// each of its writers, computed without the recorder or the collector.
func tally(target string, writers, n int) map[string]float64 {
	out := map[string]float64{}
	add := func(name string, v float64, labels ...string) {
		out[key(name, append([]string{"target", target}, labels...)...)] += v
	}
	for _, k := range kind.HitKindNames() {
		add("trafficinator_hits_total", 0, "kind", k)
	}
	for _, o := range []string{"ok", "rejected", "failed", "unknown", "unsent", "dropped"} {
		add("trafficinator_hits_outcome_total", 0, "outcome", o)
	}
	for _, name := range []string{"visits_total", "visits_dropped_total", "requests_total", "retries_total"} {
		add("trafficinator_"+name, 0)
	}
	for range writers {
		for i := range n {
			o := opAt(i)
			switch {
			case o.visit:
				add("trafficinator_visits_total", 1)
			case o.dropped >= 0:
				add("trafficinator_visits_dropped_total", 1)
				add("trafficinator_hits_outcome_total", float64(o.dropped), "outcome", "dropped")
			case o.unsent > 0:
				add("trafficinator_hits_outcome_total", float64(o.unsent), "outcome", "unsent")
			default:
				q := o.req
				add("trafficinator_requests_total", 1)
				add("trafficinator_retries_total", float64(q.Attempts-1))
				add("trafficinator_responses_total", 1, "status", strconv.Itoa(q.Status))
				for k, h := range q.Hits {
					add("trafficinator_hits_total", float64(h), "kind", kind.HitKind(k).String())
				}
				add("trafficinator_hits_outcome_total", float64(q.OK), "outcome", "ok")
				add("trafficinator_hits_outcome_total", float64(q.Rejected), "outcome", "rejected")
				add("trafficinator_hits_outcome_total", float64(q.Failed), "outcome", "failed")
				if q.ErrKind != "" {
					add("trafficinator_errors_total", 1, "kind", q.ErrKind)
				}
				add("trafficinator_request_duration_seconds_count", 1)
			}
		}
	}
	return out
}

// checkCounters compares the series of want with got, exactly.
func checkCounters(t *testing.T, when string, got, want map[string]float64) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s = %v, want %v", when, k, got[k], v)
		}
	}
}

// TestScrapesDuringARunMatchTheEnd drives real recorders from many
// goroutines as a run does, scrapes /metrics all along, and checks: a
// scrape at a known point shows exactly the figures so far, counters never
// go back, and the last scrape equals both the recorders' snapshots (what
// the report is built from) and an independent tally.
func TestScrapesDuringARunMatchTheEnd(t *testing.T) {
	const writers, half = 8, 1500
	targets := []string{"a", "b"}
	src := &fakeSource{run: live.RunState{Scenario: "acceptance", RunID: "r1", Seed: 7}}
	for _, name := range targets {
		src.targets = append(src.targets, fakeTarget{name: name, enabled: true, health: metrics.HealthHealthy,
			recorder: metrics.NewRecorder(time.Minute, nil)})
	}
	srv := serve(t, src)

	// Scrape continuously in the background and check monotonicity.
	stopScraping := make(chan struct{})
	var scrapes []map[string]float64
	var scrapeErr error
	var bg sync.WaitGroup
	bg.Add(1)
	go func() {
		defer bg.Done()
		for {
			select {
			case <-stopScraping:
				return
			default:
			}
			s, err := fetch(srv.URL())
			if err != nil {
				scrapeErr = err
				return
			}
			scrapes = append(scrapes, s)
		}
	}()

	runWriters := func(from, to int) {
		var wg sync.WaitGroup
		for w := range writers {
			for _, tg := range src.targets {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := from; i < to; i++ {
						opAt(i).apply(tg.recorder)
						if i%97 == w {
							time.Sleep(time.Microsecond) // let scrapes interleave
						}
					}
				}()
			}
		}
		wg.Wait()
	}

	runWriters(0, half)
	mid := scrape(t, srv.URL())
	for _, name := range targets {
		checkCounters(t, "half-way", mid, tally(name, writers, half))
	}
	runWriters(half, 2*half)
	close(stopScraping)
	bg.Wait()
	if scrapeErr != nil {
		t.Fatal(scrapeErr)
	}
	end := scrape(t, srv.URL())

	for _, tg := range src.targets {
		checkCounters(t, "end (tally)", end, tally(tg.name, writers, 2*half))
		checkCounters(t, "end (report)", end, fromSnapshot(tg.name, tg.recorder.Snapshot()))
	}

	if len(scrapes) < 2 {
		t.Fatalf("only %d background scrapes during the run", len(scrapes))
	}
	scrapes = append(append([]map[string]float64{mid}, scrapes...), end)
	midRun := 0
	for i, s := range scrapes {
		for _, name := range targets {
			consistent(t, i, s, name)
		}
		if v := s[key("trafficinator_visits_total", "target", "a")]; v > 0 && v < end[key("trafficinator_visits_total", "target", "a")] {
			midRun++
		}
	}
	if midRun < 2 {
		t.Errorf("%d scrapes saw the run under way, want at least 2", midRun)
	}
	// Background scrapes were taken in order: counters never go back
	// (mid is not in that order: drop it).
	for i := 2; i < len(scrapes); i++ {
		for k, v := range scrapes[i-1] {
			if isCounter(k) && scrapes[i][k] < v {
				t.Errorf("scrape %d: %s went from %v to %v", i, k, v, scrapes[i][k])
			}
		}
	}
}

// fromSnapshot is what a scrape must show for a snapshot, field by field
// as the report prints them.
func fromSnapshot(target string, s metrics.Snapshot) map[string]float64 {
	c := s.Counters
	k := func(name string, labels ...string) string {
		return key(name, append([]string{"target", target}, labels...)...)
	}
	out := map[string]float64{
		k("trafficinator_visits_total"):                              float64(c.Visits),
		k("trafficinator_visits_dropped_total"):                      float64(c.Dropped),
		k("trafficinator_requests_total"):                            float64(c.Requests),
		k("trafficinator_retries_total"):                             float64(c.Retries),
		k("trafficinator_hits_outcome_total", "outcome", "ok"):       float64(c.OK),
		k("trafficinator_hits_outcome_total", "outcome", "rejected"): float64(c.Rejected),
		k("trafficinator_hits_outcome_total", "outcome", "failed"):   float64(c.Failed),
		k("trafficinator_hits_outcome_total", "outcome", "unknown"):  float64(c.Unknown),
		k("trafficinator_hits_outcome_total", "outcome", "unsent"):   float64(c.Unsent),
		k("trafficinator_hits_outcome_total", "outcome", "dropped"):  float64(c.DroppedHits),
		k("trafficinator_request_duration_seconds_count"):            float64(s.Latency.TotalCount()),
	}
	for kind, n := range c.HitsByKind {
		out[k("trafficinator_hits_total", "kind", kind)] = float64(n)
	}
	for status, n := range c.Status {
		out[k("trafficinator_responses_total", "status", status)] = float64(n)
	}
	for kind, e := range c.Errors {
		out[k("trafficinator_errors_total", "kind", kind)] = float64(e.Count)
	}
	return out
}

// consistent checks that one scrape read each target's figures at one
// instant: its parts add up.
func consistent(t *testing.T, i int, s map[string]float64, target string) {
	t.Helper()
	sum := func(name, label string, values ...string) float64 {
		total := 0.0
		for _, v := range values {
			total += s[key(name, "target", target, label, v)]
		}
		return total
	}
	requests := s[key("trafficinator_requests_total", "target", target)]
	if got := sum("trafficinator_responses_total", "status", "204", "400", "503"); got != requests {
		t.Errorf("scrape %d, %s: responses %v, requests %v", i, target, got, requests)
	}
	if got := s[key("trafficinator_request_duration_seconds_count", "target", target)]; got != requests {
		t.Errorf("scrape %d, %s: latency count %v, requests %v", i, target, got, requests)
	}
	sent := sum("trafficinator_hits_outcome_total", "outcome", "ok", "rejected", "failed")
	if got := sum("trafficinator_hits_total", "kind", kind.HitKindNames()...); got != sent {
		t.Errorf("scrape %d, %s: hits by kind %v, ok+rejected+failed %v", i, target, got, sent)
	}
}

func isCounter(series string) bool {
	for _, suffix := range []string{"_total{", "_count{", "_sum{", "_bucket{"} {
		if strings.Contains(series, suffix) {
			return true
		}
	}
	return false
}
