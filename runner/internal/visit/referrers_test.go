package visit

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/targets"
)

// TestBuiltinReferrers runs every referrer a visit can draw through
// Matomo's own classification (its SearchEngines.yml and Socials.yml, as
// the sink uses them) and asserts the category the generator means: a
// search URL is a search engine with a keyword in a parameter that the
// list names, a social URL is a social network, a referral URL is a
// website (in neither list).
func TestBuiltinReferrers(t *testing.T) {
	refs := catalog.MatomoReferrers()
	for _, c := range []struct {
		source Source
		urls   []string
		want   targets.ReferrerCategory
	}{
		{Search, refs.Search, targets.ReferrerSearch},
		{Social, refs.Social, targets.ReferrerSocial},
		{Referral, refs.Referral, targets.ReferrerWebsite},
	} {
		for _, u := range c.urls {
			got := targets.ClassifyReferrer(u)
			if got.Kind != c.want {
				t.Errorf("%v referrer %s: Matomo classifies it %v (%q)", c.source, u, got.Kind, got.Name)
				continue
			}
			if c.source != Search {
				continue
			}
			p, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			params := targets.SearchEngineParams(p.Hostname())
			var named []string
			for k := range p.Query() {
				if slices.Contains(params, k) {
					named = append(named, k)
				}
			}
			if len(named) != 1 || got.Keyword == "" || got.Keyword != strings.ToLower(p.Query().Get(named[0])) {
				t.Errorf("search referrer %s: keyword %q by parameters %v of %v, want one of them with the keyword",
					u, got.Keyword, named, params)
			}
		}
	}
}

// TestCampaignVisits: a campaign visit has no referrer and lands on a URL
// with mtm_campaign and mtm_kwd, which every hit of the landing page sends
// and the second page has as urlref; the other hits are untouched.
func TestCampaignVisits(t *testing.T) {
	cfg := defaultConfig()
	cfg.Direct, cfg.Search, cfg.Social, cfg.Referral, cfg.Campaign = 0, 0, 0, 0, 1
	cfg.PageviewsMin, cfg.PageviewsMax = 2, 4
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for i := range uint64(200) {
		v := Generate(cfg, 7, i)
		if v.Source != Campaign || v.Referrer != "" {
			t.Fatalf("visit %d: source %v, referrer %q", i, v.Source, v.Referrer)
		}
		names[v.Campaign.Name] = true
		want := "mtm_campaign=" + url.QueryEscape(v.Campaign.Name) + "&mtm_kwd=" + url.QueryEscape(v.Campaign.Keyword)
		for j, h := range v.Hits {
			u, _ := h.Params.Get("url")
			if landing := h.Page == 0; strings.HasSuffix(u, "?"+want) != landing {
				t.Fatalf("visit %d hit %d (page %d): url %q, want the campaign only on page 0", i, j, h.Page, u)
			}
			if ref, ok := h.Params.Get("urlref"); j == 0 && ok {
				t.Fatalf("visit %d: urlref %q on the landing hit", i, ref)
			}
			if ref, _ := h.Params.Get("urlref"); h.Page == 1 && h.Kind == Pageview && ref != v.Pages[0].URL {
				t.Fatalf("visit %d: urlref %q of page 1, want the landing URL %q", i, ref, v.Pages[0].URL)
			}
		}
	}
	if len(names) != len(catalog.Campaigns()) {
		t.Errorf("%d campaigns drawn in 200 visits, want all %d", len(names), len(catalog.Campaigns()))
	}
	if got := (&Visit{Campaign: catalog.Campaign{Name: "a b", Keyword: "k"}}).withCampaign("https://x.test/p?id=1#top"); got != "https://x.test/p?id=1&mtm_campaign=a+b&mtm_kwd=k#top" {
		t.Errorf("withCampaign = %q", got)
	}
}

// TestCampaignFunnelVisits: a funnel visit from a campaign lands with the
// campaign on every hit of its first step's page, and nowhere else.
func TestCampaignFunnelVisits(t *testing.T) {
	cfg := funnelConfig(everyStepFunnel())
	cfg.Direct, cfg.Search, cfg.Social, cfg.Referral, cfg.Campaign = 0, 0, 0, 0, 1
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	for i := range uint64(50) {
		v := Generate(cfg, 3, i)
		if v.Funnel == "" || v.Source != Campaign {
			t.Fatalf("visit %d: funnel %q, source %v", i, v.Funnel, v.Source)
		}
		landing := 0
		for j, h := range v.Hits {
			u, _ := h.Params.Get("url")
			has := strings.Contains(u, "?mtm_campaign="+url.QueryEscape(v.Campaign.Name)+"&mtm_kwd=")
			if has != (h.Page == 0) {
				t.Fatalf("visit %d hit %d (page %d, step %d): url %q", i, j, h.Page, h.Step, u)
			}
			if has {
				landing++
			}
		}
		if landing < 2 { // the first pageview and its event, at least
			t.Fatalf("visit %d: %d hits on the landing page", i, landing)
		}
	}
}
