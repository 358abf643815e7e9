package runner

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/targets"
)

// TestReferrerSharesAsMatomoClassifies is issue 14's acceptance test for
// referrers: a seeded 20,000-visit backfill into the built-in sink, which
// classifies each visit's referrer with Matomo's own lists and rules. Each
// category's share of visits is within 3 standard errors
// (sqrt(p(1-p)/n)) of the configured share, campaigns included.
func TestReferrerSharesAsMatomoClassifies(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20,000-visit run")
	}
	want := map[string]float64{"direct": 0.25, "search": 0.30, "social": 0.20, "referral": 0.15, "campaign": 0.10}
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: referrer-shares}
run:
  mode: backfill
  timezone: UTC
  seed: 14
  backfill: {from: 2026-10-01, to: 2026-10-10, visits_per_day: 2000}
traffic:
  pageviews: {min: 1, max: 2}
  sources: {direct: %v, search: %v, social: %v, referral: %v, campaign: %v}
  features: {site_search: false, outlinks: false, downloads: false, click_events: false, random_events: false, ecommerce: false}
targets:
  - {name: sink, kind: sink, site_id: 1, token_auth: %s, bulk: 200}
`, want["direct"], want["search"], want["social"], want["referral"], want["campaign"], bfToken)
	rep := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{RunID: "referrers"})
	st, ok := rep.Sinks[0].Stats.(targets.SinkStats)
	if !ok {
		t.Fatalf("sink stats of type %T", rep.Sinks[0].Stats)
	}
	site := st.Sites[0]
	const n = 20000
	if site.Visits != n {
		t.Fatalf("the sink saw %d visits, want %d", site.Visits, n)
	}
	var sum int64
	for _, kind := range []string{"direct", "search", "social", "referral", "campaign"} {
		p := want[kind]
		got := site.Referrers[kind]
		sum += got
		se := math.Sqrt(p * (1 - p) / n)
		share := float64(got) / n
		t.Logf("%-8s %6d visits: %.4f, configured %.2f, %+.1f standard errors", kind, got, share, p, (share-p)/se)
		if math.Abs(share-p) > 3*se {
			t.Errorf("%s: %d visits = %.4f of %d, want %.2f ± %.4f (3 standard errors)", kind, got, share, n, p, 3*se)
		}
	}
	if sum != n {
		t.Errorf("referrer kinds add up to %d visits, want %d: %v", sum, n, site.Referrers)
	}
	// The hosts the sink counted are those of the built-in referrers, and
	// account for every search, social and referral visit.
	refs := catalog.MatomoReferrers()
	hosts := map[string]bool{}
	for _, list := range [][]string{refs.Search, refs.Social, refs.Referral} {
		for _, u := range list {
			p, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			hosts[strings.TrimPrefix(p.Hostname(), "www.")] = true
		}
	}
	var counted int64
	for host, c := range site.ReferrerHosts {
		counted += c
		if !hosts[host] {
			t.Errorf("the sink counted %d visits from %q, which no built-in referrer has", c, host)
		}
	}
	if w := site.Referrers["search"] + site.Referrers["social"] + site.Referrers["referral"]; counted != w {
		t.Errorf("%d visits by referrer host, want %d", counted, w)
	}
}
