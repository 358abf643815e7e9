package visit

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/targets"
)

const statVisits = 100000

// within3SE fails when the observed share of k events in n trials is more
// than 3 binomial standard errors from p.
func within3SE(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	got := float64(k) / float64(n)
	se := math.Sqrt(p * (1 - p) / float64(n))
	if math.Abs(got-p) > 3*se {
		t.Errorf("%s: %.5f observed over %d, configured %.5f (3 SE = %.5f)", what, got, n, p, 3*se)
	}
}

// meanWithin3SE fails when a sample mean is more than 3 standard errors
// (sd/√n) from mu.
func meanWithin3SE(t *testing.T, what string, sum float64, n int, mu, sd float64) {
	t.Helper()
	got := sum / float64(n)
	se := sd / math.Sqrt(float64(n))
	if math.Abs(got-mu) > 3*se {
		t.Errorf("%s: mean %.5f over %d, expected %.5f (3 SE = %.5f)", what, got, n, mu, 3*se)
	}
}

// uniformSD is the standard deviation of a uniform integer on [a, b].
func uniformSD(a, b int) float64 {
	k := float64(b - a + 1)
	return math.Sqrt((k*k - 1) / 12)
}

// TestStatistics generates 100,000 visits of the default model and holds
// every configured probability, share and mean against what they produce.
func TestStatistics(t *testing.T) {
	cfg := defaultConfig()
	isClick := map[string]bool{}
	for _, e := range catalog.ClickEvents() {
		isClick[e.Category] = true
	}
	var (
		actions                            [numWants]int
		sources                            [4]int
		countries                          = map[string]int{}
		agents                             = map[string]int{}
		fingerprints                       = map[string]int{}
		pages, duration, pause             float64
		pauses, searches, cats, rnd, withV int
	)
	for i := range uint64(statVisits) {
		v := Generate(cfg, 45, i)
		sources[v.Source]++
		countries[v.Country]++
		agents[v.UserAgent]++
		fingerprints[fmt.Sprint(v.UserAgent, v.Lang, v.Plugins)]++
		pages += float64(len(v.Pages))
		duration += v.Duration.Seconds()
		var has [numWants]bool
		for j, h := range v.Hits {
			switch h.Kind {
			case SiteSearch:
				has[wantSearch] = true
				searches++
				if _, ok := h.Params.Get("search_cat"); ok {
					cats++
				}
			case Outlink:
				has[wantOutlink] = true
			case Download:
				has[wantDownload] = true
			case Event:
				c, _ := h.Params.Get("e_c")
				if isClick[c] {
					has[wantClick] = true
				} else {
					has[wantRandom] = true
					rnd++
					if _, ok := h.Params.Get("e_v"); ok {
						withV++
					}
				}
			case Order:
				has[wantOrder] = true
			}
			if j > 0 && h.Kind != Ping {
				pause += h.Pause.Seconds()
				pauses++
			}
		}
		for k, ok := range has {
			if ok {
				actions[k]++
			}
		}
	}

	for k, p := range map[int]float64{
		wantSearch: cfg.SiteSearch, wantOutlink: cfg.Outlinks, wantDownload: cfg.Downloads,
		wantClick: cfg.ClickEvents, wantRandom: cfg.RandomEvents, wantOrder: cfg.Ecommerce.Probability,
	} {
		within3SE(t, fmt.Sprintf("visits with action %d", k), actions[k], statVisits, p)
	}
	for s, p := range map[Source]float64{Direct: cfg.Direct, Search: cfg.Search, Social: cfg.Social, Referral: cfg.Referral} {
		within3SE(t, "source "+s.String(), sources[s], statVisits, p)
	}
	for _, c := range targets.Countries() {
		within3SE(t, "country "+c.Code, countries[c.Code], statVisits, c.Share)
	}
	uas := catalog.UserAgents()
	for i := range uas.Len() {
		within3SE(t, "user agent "+uas.Item(i).String, agents[uas.Item(i).String], statVisits, uas.Share(i))
	}
	within3SE(t, "searches with search_cat", cats, searches, searchCatShare)
	within3SE(t, "random events with e_v", withV, rnd, 5.0/16)
	meanWithin3SE(t, "pageviews per visit", pages, statVisits, 4.5, uniformSD(3, 6))
	meanWithin3SE(t, "visit duration (s)", duration, statVisits, 270, 420/math.Sqrt(12))
	meanWithin3SE(t, "pause (s)", pause, pauses, 1.25, 1.5/math.Sqrt(12))

	// Two visits at the same moment share a fingerprint (and would merge in
	// Matomo without cip) with this probability; keep it under 1 %.
	collide := 0.0
	for _, c := range fingerprints {
		collide += float64(c) * float64(c-1)
	}
	if collide /= float64(statVisits) * float64(statVisits-1); collide > 0.01 {
		t.Errorf("two visits share a fingerprint with probability %.4f", collide)
	}
}

// TestExpectedHits compares ExpectedHits with a 100,000-visit simulation of
// a model where every action is frequent and a fifth of the visits have a
// single page (so no action), without and with funnels (the three legacy
// templates and a funnel of every step type that browses on): each kind
// within 1 %.
func TestExpectedHits(t *testing.T) {
	goOn := everyStepFunnel()
	goOn.Probability, goOn.Priority, goOn.ExitAfterCompletion = 0.5, 3, false
	for name, cfg := range map[string]*Config{
		"random visits": busyConfig(),
		"funnels":       funnelConfig(append(templateFunnels(), goOn)...),
	} {
		if err := cfg.Check(); err != nil {
			t.Fatal(err)
		}
		want := ExpectedHits(cfg)
		var got [NumKinds]float64
		for i := range uint64(statVisits) {
			for _, h := range Generate(cfg, 42, i).Hits {
				got[h.Kind]++
			}
		}
		for k := range NumKinds {
			sim := got[k] / statVisits
			if math.Abs(sim-want[k]) > 0.01*want[k] {
				t.Errorf("%s: %v: %.5f hits per visit simulated, ExpectedHits says %.5f", name, k, sim, want[k])
			}
		}
	}
}

func TestExpectedHitsAnalytic(t *testing.T) {
	cfg := busyConfig() // 1..5 pages: P(≥ 2 pages) = 4/5
	got := ExpectedHits(cfg)
	want := map[Kind]float64{
		Pageview: 3, SiteSearch: 0.6 * 0.8, Outlink: 0.5 * 0.8, Download: 0.55 * 0.8,
		Event: (0.7 + 0.65) * 0.8, Order: 0.5 * 0.8, Ping: 1,
	}
	for k, w := range want {
		if math.Abs(got[k]-w) > 1e-12 {
			t.Errorf("%v: %v, want %v", k, got[k], w)
		}
	}
	cfg.PageviewsMin, cfg.PageviewsMax = 1, 1
	cfg.Ecommerce = nil
	got = ExpectedHits(cfg)
	for _, k := range []Kind{SiteSearch, Outlink, Download, Event, Order} {
		if got[k] != 0 {
			t.Errorf("one-page visits: %v = %v, want 0", k, got[k])
		}
	}
	if got[Pageview] != 1 || got[Ping] != 1 || len(got) != int(NumKinds) {
		t.Errorf("one-page visits: %v", got)
	}
	// And a one-page visit indeed has only its pageview and ping.
	for i := range uint64(1000) {
		v := Generate(cfg, 1, i)
		kinds := []Kind{}
		for _, h := range v.Hits {
			kinds = append(kinds, h.Kind)
		}
		if !slices.Equal(kinds, []Kind{Pageview, Ping}) {
			t.Fatalf("one-page visit %d has hits %v", i, kinds)
		}
	}
}

// TestSourceAndCountryMix: a direct share above 0.30 is kept exactly
// (legacy defect 8 cut the other shares instead), and a custom country mix
// is followed.
func TestSourceAndCountryMix(t *testing.T) {
	cfg := defaultConfig()
	cfg.Direct, cfg.Search, cfg.Social, cfg.Referral = 0.5, 0.2, 0.2, 0.1
	cfg.Countries = CountryShares(map[string]float64{"SE": 0.7, "JP": 0.2, "BR": 0.1})
	var sources [4]int
	countries := map[string]int{}
	for i := range uint64(statVisits) {
		v := Generate(cfg, 9, i)
		sources[v.Source]++
		countries[v.Country]++
	}
	for s, p := range map[Source]float64{Direct: 0.5, Search: 0.2, Social: 0.2, Referral: 0.1} {
		within3SE(t, "source "+s.String(), sources[s], statVisits, p)
	}
	for c, p := range map[string]float64{"SE": 0.7, "JP": 0.2, "BR": 0.1} {
		within3SE(t, "country "+c, countries[c], statVisits, p)
	}
	if len(countries) != 3 {
		t.Errorf("countries %v, want SE, JP and BR only", countries)
	}
}
