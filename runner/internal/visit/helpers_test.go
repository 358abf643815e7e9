package visit

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// defaultConfig is the legacy default visit model (the plan defaults),
// with ecommerce and geo on.
func defaultConfig() *Config {
	return &Config{
		SiteID:       7,
		PageviewsMin: 3, PageviewsMax: 6,
		PauseMin: 500 * time.Millisecond, PauseMax: 2 * time.Second,
		DurationMin: time.Minute, DurationMax: 8 * time.Minute,
		Direct: 0.30, Search: 0.35, Social: 0.15, Referral: 0.20,
		SiteSearch: 0.15, Outlinks: 0.10, Downloads: 0.08, ClickEvents: 0.25, RandomEvents: 0.12,
		Ecommerce: &Ecommerce{
			Probability: 0.05, Currency: "USD", OrderMin: 15.99, OrderMax: 299.99,
			ItemsMin: 1, ItemsMax: 5, TaxRate: 0.10, Shipping: []float64{0, 5.99, 9.99, 15.99},
		},
		Geo:   true,
		RunID: "run1",
	}
}

// busyConfig has every action likely, so that rare paths show often.
func busyConfig() *Config {
	c := defaultConfig()
	c.PageviewsMin, c.PageviewsMax = 1, 5
	c.SiteSearch, c.Outlinks, c.Downloads, c.ClickEvents, c.RandomEvents = 0.6, 0.5, 0.55, 0.7, 0.65
	c.Ecommerce.Probability = 0.5
	return c
}

// cents parses a "%.2f" amount exactly, failing the test on anything else.
func parseAmount(t testing.TB, s string) int64 {
	t.Helper()
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		t.Fatalf("amount %q is not formatted %%.2f", s)
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 {
		t.Fatalf("amount %q is not a number", s)
	}
	return w*100 + f
}

func get(t testing.TB, p Params, key string) string {
	t.Helper()
	v, ok := p.Get(key)
	if !ok {
		t.Fatalf("no %s in %v", key, p.Keys())
	}
	return v
}
