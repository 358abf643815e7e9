package runner

import (
	"net/url"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// builderPlan is a plan with every action likely and geo on, so that
// visits vary in length and in parameters.
func builderPlan(t *testing.T) (*plan.Plan, *visit.Config) {
	t.Helper()
	p := &plan.Plan{Seed: 11}
	p.Traffic = plan.Traffic{PageviewsMin: 1, PageviewsMax: 8, DurationMin: plan.Duration(time.Minute), DurationMax: plan.Duration(5 * time.Minute)}
	p.Traffic.Sources = plan.Sources{Direct: 0.25, Search: 0.25, Social: 0.25, Referral: 0.25}
	pt := &plan.Target{Settings: kind.Settings{Name: "t", SiteID: 3}, Features: plan.Features{
		SiteSearch: 0.5, Outlinks: 0.5, Downloads: 0.5, ClickEvents: 0.5, RandomEvents: 0.5,
		Ecommerce: &plan.Ecommerce{Probability: 0.5, Currency: "EUR", OrderMin: 1, OrderMax: 500, ItemsMin: 1, ItemsMax: 5, TaxRate: 0.2, Shipping: []float64{0, 4.9}},
	}}
	cfg, err := p.VisitConfig(pt, nil, "run1")
	if err != nil {
		t.Fatal(err)
	}
	return p, cfg
}

// TestEncodeMatchesParams: each query is exactly its hit's parameters
// encoded, plus the visitor's ua in bulk mode, with kinds and pauses kept.
func TestEncodeMatchesParams(t *testing.T) {
	p, cfg := builderPlan(t)
	for n := range uint64(300) {
		v := visit.Generate(cfg, p.Seed, n)
		v.StampEnd(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
		for _, bulk := range []bool{false, true} {
			job := Encode(v, bulk)
			if job.UserAgent != v.UserAgent || len(job.Hits) != len(v.Hits) {
				t.Fatalf("visit %d: %d hits, user agent %q", n, len(job.Hits), job.UserAgent)
			}
			for i, h := range v.Hits {
				want := targets.MatomoQuery(h.Params)
				if bulk {
					want += "&ua=" + url.QueryEscape(v.UserAgent)
				}
				if got := job.Hits[i]; got.Payload != want || got.Kind != h.Kind || got.Pause != h.Pause {
					t.Fatalf("visit %d hit %d (bulk %v):\n got %+v\nwant %q %v %v", n, i, bulk, got, want, h.Kind, h.Pause)
				}
			}
		}
	}
}

// TestHitCounterMatchesBuild: a dropped visit counts exactly the hits the
// visit would have sent.
func TestHitCounterMatchesBuild(t *testing.T) {
	p, cfg := builderPlan(t)
	build, count := newBuilder(p, cfg, targets.MatomoEncoder(false), sampler{}), hitCounter(p, cfg)
	lengths := map[int]bool{}
	for n := range uint64(2000) {
		want := len(build(n, time.Now()).Hits)
		if got := count(n); got != want {
			t.Fatalf("visit %d: counter says %d hits, build makes %d", n, got, want)
		}
		lengths[want] = true
	}
	if len(lengths) < 10 {
		t.Errorf("only %d distinct visit lengths: the test needs varied visits", len(lengths))
	}
}
