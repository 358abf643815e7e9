package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// TestScrapesDuringRunnerRunMatchTheReport runs a real scenario against two
// loopback targets, one healthy and one answering 400, scrapes /metrics
// all along, and checks that the scrapes during the run show it under way
// and that a scrape after it shows exactly the report.
func TestScrapesDuringRunnerRunMatchTheReport(t *testing.T) {
	good, err := loadtest.StartSink(loadtest.SinkConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(good.Close)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such site", http.StatusBadRequest)
	}))
	t.Cleanup(bad.Close)
	p, err := loadtest.Compile(fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: live-wiring}
run: {rate: 100/s, duration: 3s, concurrency: 100, seed: 7}
targets:
  - {name: good, url: %q, site_id: 1}
  - {name: bad, url: %q, site_id: 1}
traffic:
  pageviews: {min: 1, max: 3}
  pause: {min: 0s, max: 10ms}
  features:
    site_search: {probability: 0.5}
    downloads: {probability: 0.5}
    click_events: {probability: 0.5}
policies:
  - {name: any-visits, when: "visits > 0", action: warn}
  - {name: bad-errors, scope: target, targets: [bad], when: "error_rate > 0.5", action: warn}
`, good.URL, bad.URL+"/matomo.php"), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}

	srv := serve(t, nil)
	done := make(chan struct{})
	var during []map[string]float64
	var scrapeErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			s, err := fetch(srv.URL())
			if err != nil {
				scrapeErr = err
				return
			}
			during = append(during, s)
		}
	}()
	rep, err := runner.Run(context.Background(), p, runner.Options{RunID: "wiring", NoPreflight: true, Grace: exec.WaitForAll, Live: srv.Attach})
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if scrapeErr != nil {
		t.Fatal(scrapeErr)
	}
	end := scrape(t, srv.URL())

	for _, rt := range rep.Targets {
		s, err := rt.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		checkCounters(t, "after the run", end, fromSnapshot(rt.Name, s))
		checkCounters(t, "after the run", end, map[string]float64{
			key("trafficinator_target_enabled", "target", rt.Name):                     1,
			key("trafficinator_target_health", "target", rt.Name, "health", rt.Health): 1,
		})
		if rt.Counters.Visits == 0 {
			t.Fatalf("target %s got no visits: the test proves nothing", rt.Name)
		}
	}
	if rep.Targets[1].Counters.Rejected == 0 || rep.Targets[1].Health != "failing" {
		t.Fatalf("bad target: %+v health %s", rep.Targets[1].Counters, rep.Targets[1].Health)
	}
	checkCounters(t, "after the run", end, map[string]float64{
		key("trafficinator_run_info", "scenario", "live-wiring", "run_id", "wiring", "seed", "7"): 1,
		key("trafficinator_run_elapsed_seconds"):                                                  rep.Run.DurationS,
		key("trafficinator_policy_holding", "policy", "any-visits"):                               1,
		key("trafficinator_policy_holding", "policy", "bad-errors", "target", "bad"):              1,
	})
	firings := map[string]float64{
		key("trafficinator_policy_fired_total", "policy", "any-visits", "action", "warn"):                  0,
		key("trafficinator_policy_fired_total", "policy", "bad-errors", "target", "bad", "action", "warn"): 0,
	}
	for _, f := range rep.Policies {
		firings[key("trafficinator_policy_fired_total", "policy", f.Policy, "target", f.Target, "action", f.Action)]++
	}
	if len(rep.Policies) < 2 {
		t.Fatalf("firings %+v, want both policies to fire", rep.Policies)
	}
	checkCounters(t, "after the run", end, firings)

	// During the run: under way, never past the end, and consistent.
	midRun := 0
	for i, s := range during {
		for _, rt := range rep.Targets {
			k := key("trafficinator_visits_total", "target", rt.Name)
			if v := s[k]; v > 0 && v < end[k] {
				midRun++
			}
			for series, v := range s {
				if isCounter(series) && v > end[series] {
					t.Errorf("scrape %d: %s = %v, past its final %v", i, series, v, end[series])
				}
			}
			requests := s[key("trafficinator_requests_total", "target", rt.Name)]
			if c := s[key("trafficinator_request_duration_seconds_count", "target", rt.Name)]; c != requests {
				t.Errorf("scrape %d, %s: latency count %v, requests %v", i, rt.Name, c, requests)
			}
		}
	}
	if midRun < 4 {
		t.Errorf("%d target scrapes saw the run under way (of %d scrapes), want at least 4", midRun, len(during))
	}
}
