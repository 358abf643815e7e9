package visit

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

func TestCheck(t *testing.T) {
	if err := defaultConfig().Check(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for _, c := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.SiteID = 0 }, "site id 0: want ≥ 1"},
		{func(c *Config) { c.PageviewsMin = 0 }, "pageviews 0..6: want 1 ≤ min ≤ max ≤ 1000"},
		{func(c *Config) { c.PageviewsMin, c.PageviewsMax = 5, 4 }, "pageviews 5..4"},
		{func(c *Config) { c.PageviewsMax = 1001 }, "pageviews 3..1001"},
		{func(c *Config) { c.PauseMin = -time.Second }, "pause -1s..2s: want 0 ≤ min ≤ max"},
		{func(c *Config) { c.DurationMin = time.Hour }, "visit duration 1h0m0s..8m0s: want 0 ≤ min ≤ max"},
		{func(c *Config) { c.Search = 1.5 }, "search share 1.5: want 0 … 1"},
		{func(c *Config) { c.Outlinks = -0.1 }, "outlinks -0.1: want 0 … 1"},
		{func(c *Config) { c.Referral = 0.21 }, "source shares add up to 1.01: want ≤ 1"},
		{func(c *Config) { c.Campaign = 0.01 }, "source shares add up to 1.01: want ≤ 1"},
		{func(c *Config) { c.Campaign = -0.1 }, "campaign share -0.1: want 0 … 1"},
		{func(c *Config) { c.Ecommerce.Probability = 2 }, "ecommerce: probability 2: want 0 … 1"},
		{func(c *Config) { c.Ecommerce.Currency = "usd" }, `ecommerce: currency "usd": want 3 uppercase letters`},
		{func(c *Config) { c.Ecommerce.OrderMin = 0 }, "ecommerce: order value 0..299.99"},
		{func(c *Config) { c.Ecommerce.OrderMin = 300 }, "ecommerce: order value 300..299.99"},
		{func(c *Config) { c.Ecommerce.ItemsMin = 0 }, "ecommerce: items 0..5: want 1 ≤ min ≤ max ≤ 100"},
		{func(c *Config) { c.Ecommerce.TaxRate = 1.5 }, "ecommerce: tax rate 1.5: want 0 … 1"},
		{func(c *Config) { c.Ecommerce.Shipping = nil }, "ecommerce: no shipping cost"},
		{func(c *Config) { c.Ecommerce.Shipping = []float64{-1} }, "ecommerce: shipping cost -1: want 0 … 1e6"},
		{func(c *Config) { c.RunID = "" }, `ecommerce: run id "": want 1 … 80 characters`},
		{func(c *Config) { c.RunID = "a b" }, `ecommerce: run id "a b"`},
		{func(c *Config) { c.Countries = []CountryShare{{"ZZ", 1}} }, `geo: unknown country "ZZ"`},
		{func(c *Config) { c.Countries = []CountryShare{{"SE", 0}} }, "geo: the country shares add up to 0"},
		{func(c *Config) { c.Countries = []CountryShare{{"SE", -1}, {"US", 2}} }, "geo: country SE share -1: want ≥ 0"},
	} {
		cfg := defaultConfig()
		c.change(cfg)
		if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want error %q, got %v", c.want, err)
		}
	}
	// Without ecommerce and geo, their settings are not checked.
	cfg := defaultConfig()
	cfg.Ecommerce, cfg.Geo, cfg.RunID = nil, false, ""
	cfg.Countries = []CountryShare{{"ZZ", 1}}
	if err := cfg.Check(); err != nil {
		t.Errorf("ecommerce and geo off: %v", err)
	}
	// Every problem is reported.
	cfg = defaultConfig()
	cfg.SiteID, cfg.Search = -1, 2
	if err := cfg.Check(); err == nil || strings.Count(err.Error(), "\n") < 2 {
		t.Errorf("want three problems, got %v", err)
	}
}

func TestCountryShares(t *testing.T) {
	got := CountryShares(map[string]float64{"SE": 0.2, "US": 0.5, "JP": 0.2, "BR": 0.1})
	want := []CountryShare{{"US", 0.5}, {"JP", 0.2}, {"SE", 0.2}, {"BR", 0.1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CountryShares = %v, want %v", got, want)
	}
}

// TestClampedConfig: Generate survives a config that skipped Check.
func TestClampedConfig(t *testing.T) {
	cfg := &Config{SiteID: 1, PageviewsMin: 0, PageviewsMax: -3, PauseMin: time.Second, PauseMax: 0,
		DurationMin: -time.Minute, DurationMax: -time.Hour}
	for i := range uint64(100) {
		v := Generate(cfg, 1, i)
		if len(v.Pages) != 1 || len(v.Hits) != 2 || v.Duration != 0 || !strings.HasPrefix(v.Pages[0].URL, catalog.BuiltinSite+"/") {
			t.Fatalf("visit %d: %d pages, %d hits, duration %v", i, len(v.Pages), len(v.Hits), v.Duration)
		}
	}
}
