package model

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// The base of the invalid-scenario table must itself be clean, or every
// case would test two things at once.
func TestBaseScenarioIsValid(t *testing.T) {
	for name, src := range map[string]string{
		"base":       validBase,
		"tail":       withTail("routing: random\n"),
		"token sink": withTargets(tokenSink),
	} {
		t.Run(name, func(t *testing.T) {
			mustBeValid(t, load(t, src, nil))
		})
	}
}

func TestExamplesAreValid(t *testing.T) {
	files, err := filepath.Glob("../../../examples/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := LoadFile(f, testOptions(nil))
			if !r.Valid() || r.Diags.HasErrors() {
				t.Fatalf("invalid:%s", dump(r.Diags))
			}
		})
	}
}

// The reference scenario decodes into the values it spells out.
func TestReferenceScenarioDecodes(t *testing.T) {
	r := LoadFile("../../../examples/reference.yaml", testOptions(map[string]string{"MATOMO_TOKEN_EU": "eu-token-from-env"}))
	if !r.Valid() {
		t.Fatalf("invalid:%s", dump(r.Diags))
	}
	// No diagnostic: the token-less staging target sends each visit's
	// address in a header, and the sink target turns geo off (issue 16).
	if len(r.Diags) != 0 {
		t.Errorf("want no diagnostic, got:%s", dump(r.Diags))
	}
	s := r.Scenario
	if s.Metadata.Name != "peak-week-eu-us" || s.Metadata.Labels["tier"] != "load" {
		t.Errorf("metadata = %+v", s.Metadata)
	}
	run := s.Run
	if run.Mode != "realtime" || run.Rate.Raw != "20000/day" || math.Abs(run.Rate.PerSecond-20000.0/86400) > 1e-12 {
		t.Errorf("rate = %+v", run.Rate)
	}
	if len(run.Stages) != 3 || run.Stages[0].Duration.D != 2*time.Minute || run.Stages[0].Rate.PerSecond != 10 || run.Stages[2].Rate.PerSecond != 0 {
		t.Errorf("stages = %+v", run.Stages)
	}
	if run.Duration.D != 13*time.Minute || run.MaxVisits != 50000 || run.DailyCap != 100000 || run.Concurrency != 200 || *run.Seed != 42 || run.Timezone != "Europe/Stockholm" {
		t.Errorf("run = %+v", run)
	}
	bf := run.Backfill
	if bf.From.Raw != "2026-10-01" || !bf.To.Time.Equal(time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)) ||
		bf.VisitsPerDay.Min != 2000 || bf.VisitsPerDay.Max != 2000 || bf.RPS.PerSecond != 25 || bf.Pos != (diag.Pos{Line: 28, Column: 5}) {
		t.Errorf("backfill = %+v", bf)
	}
	if len(s.Targets) != 4 {
		t.Fatalf("targets = %d", len(s.Targets))
	}
	eu, us, staging, local := &s.Targets[0], &s.Targets[1], &s.Targets[2], &s.Targets[3]
	if eu.TokenAuth != "eu-token-from-env" || us.TokenAuth != "fedcba9876543210fedcba9876543210" {
		t.Errorf("tokens: eu %q, us %q (want the environment, then the default)", eu.TokenAuth, us.TokenAuth)
	}
	if eu.EffectiveWeight() != 3 || eu.Bulk != 100 || eu.Timeout.D != 10*time.Second || local.EffectiveWeight() != 0.5 || staging.EffectiveWeight() != 1 {
		t.Errorf("weights/bulk/timeout: %+v %+v", eu, local)
	}
	if !local.IsSink() || eu.IsSink() || !staging.InsecureSkipVerify || staging.Headers["X-Load-Test"] != "trafficinator" {
		t.Errorf("kinds/tls/headers wrong")
	}
	if e := us.Features.Ecommerce; e == nil || e.Enabled == nil || *e.Enabled {
		t.Errorf("us ecommerce: false must decode as disabled, got %+v", e)
	}
	if p := us.Features.SiteSearch.Probability; p == nil || *p != 0.30 {
		t.Errorf("us site_search probability = %v", p)
	}
	for _, tc := range []struct {
		t              *Target
		on, explicitly bool
	}{{eu, true, false}, {staging, true, false}, {local, false, true}} {
		on, explicit := s.GeoRequested(tc.t)
		if on != tc.on || explicit != tc.explicitly {
			t.Errorf("GeoRequested(%s) = %v, %v; want %v, %v", tc.t.Name, on, explicit, tc.on, tc.explicitly)
		}
	}
	tr := s.Traffic
	if !tr.URLs.Builtin || tr.Pageviews.Min != 3 || tr.Pageviews.Max != 6 || tr.Pause.Min.D != 500*time.Millisecond || tr.VisitDuration.Max.D != 8*time.Minute {
		t.Errorf("traffic = %+v", tr)
	}
	if *tr.Sources.Search != 0.35 || *tr.Features.Ecommerce.Probability != 0.05 || tr.Features.Ecommerce.OrderValue.Max != 299.99 || len(tr.Features.Ecommerce.Shipping) != 4 {
		t.Errorf("sources/ecommerce wrong")
	}
	f := tr.Funnels[0]
	if f.Name != "checkout" || !f.ExitsAfterCompletion() || !f.IsEnabled() || len(f.Steps) != 4 || f.Steps[1].Delay.Max.D != 10*time.Second || *f.Steps[1].Value != 49 {
		t.Errorf("funnel = %+v", f)
	}
	if len(s.Policies) != 3 || s.Policies[0].For.D != 30*time.Second || s.Policies[0].EffectiveScope() != ScopeTarget || s.Policies[1].Action != ActionFail {
		t.Errorf("policies = %+v", s.Policies)
	}
	if s.Source == nil || s.Source.File != "../../../examples/reference.yaml" || s.Source.Pos("/policies/0/when", false) != (diag.Pos{Line: 102, Column: 11}) {
		t.Errorf("source positions wrong: %+v", s.Source.Pos("/policies/0/when", false))
	}
}

// Rules that must not fire: the boundaries of each rule are valid.
func TestLoadValidBoundaries(t *testing.T) {
	cases := []struct{ name, src string }{
		{"min equals max", withTail("traffic:\n  pageviews: {min: 2, max: 2}\n  pause: {min: 1s, max: 1s}\n")},
		{"shares add up to exactly 1", withTail("traffic:\n  sources: {direct: 0.1, search: 0.2, social: 0.3, referral: 0.4}\n")},
		{"five shares add up to exactly 1", withTail("traffic:\n  sources: {direct: 0.1, search: 0.2, social: 0.3, referral: 0.2, campaign: 0.2}\n")},
		{"probabilities 0 and 1", withTail("traffic:\n  features:\n    outlinks: {probability: 0}\n    downloads: {probability: 1}\n")},
		{"backfill ending today", withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-11-01\n    to: 2026-11-15\n", tokenSink)},
		{"backfill ending today in a timezone ahead of UTC", withRunTargets("run:\n  mode: backfill\n  timezone: Pacific/Kiritimati\n  backfill:\n    from: 2026-11-01\n    to: 2026-11-16\n", tokenSink)},
		{"backfill of exactly 180 days", withRunTargets("run:\n  mode: backfill\n  backfill:\n    from: 2026-05-19\n    to: 2026-11-14\n", tokenSink)},
		{"relative backfill of 180 days", withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 180\n    offset_days: 2\n", tokenSink)},
		{"geo on a target with a token", withTargets("targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n    token_auth: tok-1234\n    features: {geo: true}\n")},
		{"geo inherited but switched off on the target", withTargets("targets:\n  - name: a\n    url: https://m.example.com/matomo.php\n    site_id: 1\n    features: {geo: false}\ntraffic:\n  features: {geo: true}\n")},
		{"geo on a disabled target without a token", withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: 1\n  - name: b\n    kind: sink\n    site_id: 1\n    enabled: false\n    features: {geo: true}\n")},
		{"policy with target scope", withTail("policies:\n  - name: p\n    scope: target\n    targets: [a]\n    when: error_rate_over(\"5m\") > 0.1 || window(\"1h\").p95_ms > 800\n    for: 30s\n    action: disable_target\n")},
		{"funnel with every step type", withTail("traffic:\n  funnels:\n    - name: f\n      probability: 1\n      steps:\n        - {type: pageview, url: /a}\n        - {type: event, category: c, action: a}\n        - {type: site_search, keyword: k}\n        - {type: outlink, target: https://x.example/}\n        - {type: download, target: /f.pdf}\n        - {type: ecommerce}\n")},
		{"$$ escapes a dollar", withTargets("targets:\n  - name: a$$b\n    kind: sink\n    site_id: 1\n")},
		{"interpolated site_id is an integer", withTargets("targets:\n  - name: a\n    kind: sink\n    site_id: ${SITE:-4}\n")},
		{"feature flags as booleans", withTail("traffic:\n  urls: {list: [https://x.example/a]}\n  features: {site_search: false, ecommerce: true, geo: false}\n")},
		{"merge keys", withTargets("targets:\n  - &b\n    name: a\n    kind: sink\n    site_id: 1\n  - <<: *b\n    name: b\n  - <<: [{weight: 2}, *b]\n    name: c\n")},
		{"visits_per_day as a mapping", withRunTargets("run:\n  mode: backfill\n  backfill:\n    last_days: 3\n    visits_per_day: {min: 5, max: 10, weekend_factor: 0.5}\n", tokenSink)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mustBeValid(t, load(t, tc.src, nil))
		})
	}
}
