package live_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// twoTargets is a source with a busy enabled target, an idle disabled one
// and two policies.
func twoTargets() *fakeSource {
	alpha := metrics.NewRecorder(time.Minute, nil)
	for range 3 {
		alpha.RecordVisit()
	}
	alpha.RecordDropped(4)
	alpha.RecordUnsent(2)
	q := request(kind.Pageview, 2, "ok", 200, 1, 800, "")
	q.Hits[kind.Event], q.OK = 1, 3
	alpha.RecordRequest(q)
	alpha.RecordRequest(request(kind.Pageview, 1, "rejected", 400, 1, 3000, "http_4xx"))
	alpha.RecordRequest(request(kind.Order, 1, "failed", 0, 3, 12_000_000, "network"))
	alpha.RecordRequest(request(kind.Download, 1, "ok", 204, 1, 1000, ""))
	return &fakeSource{
		run: live.RunState{Scenario: "shop", RunID: "abc123", Seed: math.MaxUint64, Elapsed: 90500 * time.Millisecond},
		targets: []fakeTarget{
			{name: "alpha", enabled: true, health: metrics.HealthDegraded, recorder: alpha},
			{name: "beta", enabled: false, health: metrics.HealthUnknown, recorder: metrics.NewRecorder(time.Minute, nil)},
		},
		policies: []live.PolicyState{
			{Policy: "slow", Action: "fail", Holding: true},
			{Policy: "flaky", Target: "alpha", Action: "disable_target", Fired: 2},
		},
	}
}

// TestScrapeShowsEveryFigure checks every trafficinator_ series of a
// scrape, value by value, with nothing extra.
func TestScrapeShowsEveryFigure(t *testing.T) {
	srv := serve(t, twoTargets())
	got := scrape(t, srv.URL())

	want := map[string]float64{
		key("trafficinator_run_elapsed_seconds"): 90.5,
		key("trafficinator_run_info", "scenario", "shop", "run_id", "abc123", "seed", "18446744073709551615"): 1,

		key("trafficinator_policy_fired_total", "policy", "slow", "action", "fail"):                               0,
		key("trafficinator_policy_holding", "policy", "slow"):                                                     1,
		key("trafficinator_policy_fired_total", "policy", "flaky", "target", "alpha", "action", "disable_target"): 2,
		key("trafficinator_policy_holding", "policy", "flaky", "target", "alpha"):                                 0,
	}
	perTarget := func(target string, c map[string]float64) {
		for name, v := range c {
			parts := strings.SplitN(name, "|", 2)
			labels := []string{"target", target}
			if len(parts) == 2 {
				kv := strings.SplitN(parts[1], "=", 2)
				labels = append(labels, kv[0], kv[1])
			}
			want[key(parts[0], labels...)] = v
		}
	}
	perTarget("alpha", map[string]float64{
		"trafficinator_visits_total":                        3,
		"trafficinator_visits_dropped_total":                1,
		"trafficinator_requests_total":                      4,
		"trafficinator_retries_total":                       2,
		"trafficinator_hits_total|kind=pageview":            3,
		"trafficinator_hits_total|kind=site_search":         0,
		"trafficinator_hits_total|kind=outlink":             0,
		"trafficinator_hits_total|kind=download":            1,
		"trafficinator_hits_total|kind=event":               1,
		"trafficinator_hits_total|kind=order":               1,
		"trafficinator_hits_total|kind=ping":                0,
		"trafficinator_hits_outcome_total|outcome=ok":       4,
		"trafficinator_hits_outcome_total|outcome=rejected": 1,
		"trafficinator_hits_outcome_total|outcome=failed":   1,
		"trafficinator_hits_outcome_total|outcome=unknown":  0,
		"trafficinator_hits_outcome_total|outcome=unsent":   2,
		"trafficinator_hits_outcome_total|outcome=dropped":  4,
		"trafficinator_responses_total|status=200":          1,
		"trafficinator_responses_total|status=204":          1,
		"trafficinator_responses_total|status=400":          1,
		"trafficinator_responses_total|status=0":            1,
		"trafficinator_errors_total|kind=http_4xx":          1,
		"trafficinator_errors_total|kind=network":           1,
		"trafficinator_target_enabled":                      1,
		"trafficinator_target_health|health=healthy":        0,
		"trafficinator_target_health|health=degraded":       1,
		"trafficinator_target_health|health=failing":        0,
		"trafficinator_target_health|health=unknown":        0,
		"trafficinator_request_duration_seconds_count":      4,
		// 800 µs and 1000 µs are within 1 ms, 3 ms within 5 ms, 12 s
		// only within +Inf.
		"trafficinator_request_duration_seconds_bucket|le=0.001":  2,
		"trafficinator_request_duration_seconds_bucket|le=0.0025": 2,
		"trafficinator_request_duration_seconds_bucket|le=0.005":  3,
		"trafficinator_request_duration_seconds_bucket|le=0.01":   3,
		"trafficinator_request_duration_seconds_bucket|le=0.025":  3,
		"trafficinator_request_duration_seconds_bucket|le=0.05":   3,
		"trafficinator_request_duration_seconds_bucket|le=0.1":    3,
		"trafficinator_request_duration_seconds_bucket|le=0.25":   3,
		"trafficinator_request_duration_seconds_bucket|le=0.5":    3,
		"trafficinator_request_duration_seconds_bucket|le=1":      3,
		"trafficinator_request_duration_seconds_bucket|le=2.5":    3,
		"trafficinator_request_duration_seconds_bucket|le=5":      3,
		"trafficinator_request_duration_seconds_bucket|le=10":     3,
		"trafficinator_request_duration_seconds_bucket|le=+Inf":   4,
	})
	beta := map[string]float64{
		"trafficinator_target_enabled":                          0,
		"trafficinator_target_health|health=unknown":            1,
		"trafficinator_target_health|health=healthy":            0,
		"trafficinator_target_health|health=degraded":           0,
		"trafficinator_target_health|health=failing":            0,
		"trafficinator_request_duration_seconds_count":          0,
		"trafficinator_request_duration_seconds_sum":            0,
		"trafficinator_request_duration_seconds_bucket|le=+Inf": 0,
	}
	for _, name := range []string{"visits_total", "visits_dropped_total", "requests_total", "retries_total"} {
		beta["trafficinator_"+name] = 0
	}
	for _, k := range kind.HitKindNames() {
		beta["trafficinator_hits_total|kind="+k] = 0
	}
	for _, o := range []string{"ok", "rejected", "failed", "unknown", "unsent", "dropped"} {
		beta["trafficinator_hits_outcome_total|outcome="+o] = 0
	}
	for _, b := range live.LatencyBuckets {
		beta["trafficinator_request_duration_seconds_bucket|le="+fmt.Sprint(b)] = 0
	}
	perTarget("beta", beta)

	// HDR keeps no exact sum: mean × count is within 0.1 % of it.
	sumKey := key("trafficinator_request_duration_seconds_sum", "target", "alpha")
	if s, exact := got[sumKey], 0.0008+0.003+12+0.001; math.Abs(s-exact) > exact/1000 {
		t.Errorf("%s = %v, want %v within 0.1 %%", sumKey, s, exact)
	}
	delete(got, sumKey)

	for k, v := range want {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("missing %s (want %v)", k, v)
		case g != v:
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected series %s = %v", k, v)
		}
	}
}

// TestScrapeAddsUnknownLabelValues: a health, hit kind or status outside
// the known sets is shown, not lost.
func TestScrapeAddsUnknownLabelValues(t *testing.T) {
	snap := metrics.Snapshot{Counters: metrics.Counters{
		Requests: 1, HitsByKind: map[string]int64{"beacon": 2}, Status: map[string]int64{"599": 1},
	}}
	src := &fakeSource{targets: []fakeTarget{{name: "t", health: "paused", snapshot: snap}}}
	got := scrape(t, serve(t, src).URL())
	for k, v := range map[string]float64{
		key("trafficinator_target_health", "target", "t", "health", "paused"):  1,
		key("trafficinator_target_health", "target", "t", "health", "healthy"): 0,
		key("trafficinator_responses_total", "target", "t", "status", "599"):   1,
		key("trafficinator_hits_total", "target", "t", "kind", "beacon"):       2,
		key("trafficinator_hits_total", "target", "t", "kind", "pageview"):     0,
		// A snapshot without a histogram shows an empty one.
		key("trafficinator_request_duration_seconds_count", "target", "t"): 0,
	} {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// TestNothingBeforeAttach: a server started before the run shows no
// trafficinator_ series until the runner attaches its source, then shows
// it from the next scrape on.
func TestNothingBeforeAttach(t *testing.T) {
	srv := serve(t, nil)
	if got := scrape(t, srv.URL()); len(got) != 0 {
		t.Fatalf("series before attach: %v", got)
	}
	srv.Attach(twoTargets())
	got := scrape(t, srv.URL())
	if v := got[key("trafficinator_visits_total", "target", "alpha")]; v != 3 {
		t.Fatalf("visits after attach = %v, want 3", v)
	}
}
