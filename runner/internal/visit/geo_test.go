package visit

import (
	"fmt"
	"testing"
	"time"
)

// TestCountryMixLeavesTheRestToTheTable: shares that add up to less than
// 1 leave the rest to the default table, as docs/scenario.md says.
func TestCountryMixLeavesTheRestToTheTable(t *testing.T) {
	cfg := defaultConfig()
	cfg.Countries = []CountryShare{{"SE", 0.5}}
	const n = 20000
	counts := map[string]int{}
	for i := range uint64(n) {
		counts[Generate(cfg, 5, i).Country]++
	}
	within3SE(t, "SE", counts["SE"], n, 0.5+0.5*0.03)
	within3SE(t, "US", counts["US"], n, 0.5*0.35)
	within3SE(t, "ZA", counts["ZA"], n, 0.5*0.01)
}

// TestLocalTimeAcrossDST: a US visit that spans the switch to daylight
// saving time (2025-03-09 07:00 UTC, 2:00 → 3:00 in New York) shows 1 h
// before it and 3 h after it, and never 2 h.
func TestLocalTimeAcrossDST(t *testing.T) {
	cfg := defaultConfig()
	cfg.Countries = []CountryShare{{"US", 1}}
	cfg.DurationMin, cfg.DurationMax = 20*time.Minute, 20*time.Minute
	end := time.Date(2025, 3, 9, 7, 10, 0, 0, time.UTC)
	v := Generate(cfg, 1, 0)
	v.StampEnd(end)
	before, after := 0, 0
	for i, h := range v.Hits {
		cdt, _ := time.Parse(CDTLayout, get(t, h.Params, "cdt"))
		want := map[bool]string{true: "1", false: "3"}[cdt.Before(time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC))]
		if got := get(t, h.Params, "h"); got != want {
			t.Errorf("hit %d at %s UTC: h=%s, want %s", i, cdt.Format(time.TimeOnly), got, want)
		}
		if want == "1" {
			before++
		} else {
			after++
		}
		if got := fmt.Sprintf("%s:%s", get(t, h.Params, "m"), get(t, h.Params, "s")); got != fmt.Sprintf("%d:%d", cdt.Minute(), cdt.Second()) {
			t.Errorf("hit %d: m:s %s, cdt %s", i, got, cdt.Format(time.TimeOnly))
		}
	}
	if before == 0 || after == 0 {
		t.Errorf("%d hits before the switch, %d after: the visit does not span it", before, after)
	}
	if lt := v.LocalTime(end); lt.Hour() != 3 || lt.Location().String() != "America/New_York" {
		t.Errorf("LocalTime(%v) = %v", end, lt)
	}
}
