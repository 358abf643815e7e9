package visit

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestFunnelCheck(t *testing.T) {
	ok := funnelConfig(append(templateFunnels(), everyStepFunnel())...)
	if err := ok.Check(); err != nil {
		t.Fatalf("valid funnels: %v", err)
	}
	for _, c := range []struct {
		change func(*Funnel)
		want   string
	}{
		{func(f *Funnel) { f.Name = "" }, `funnel "": no name`},
		{func(f *Funnel) { f.Name = "Lead Generation" }, `funnel "Lead Generation": duplicate name`},
		{func(f *Funnel) { f.Probability = 1.5 }, `funnel "every step": probability 1.5: want 0 … 1`},
		{func(f *Funnel) { f.Probability = math.NaN() }, `probability NaN: want 0 … 1`},
		{func(f *Funnel) { f.Steps = nil }, `funnel "every step": no steps`},
		{func(f *Funnel) { f.Steps = make([]Step, MaxFunnelSteps+1) }, `funnel "every step": 1001 steps: want at most 1000`},
		{func(f *Funnel) { f.Steps[0].Kind = Event }, `funnel "every step": the first step is event: want a pageview`},
		{func(f *Funnel) { f.Steps[1].Category = "" }, `funnel "every step": step 2: a event step needs "category"`},
		{func(f *Funnel) { f.Steps[1].Action = "" }, `step 2: a event step needs "action"`},
		{func(f *Funnel) { f.Steps[3].Value = ptr(math.Inf(1)) }, `step 4: event value +Inf: want a finite number`},
		{func(f *Funnel) { f.Steps[4].Keyword = "" }, `step 5: a site_search step needs "keyword"`},
		{func(f *Funnel) { f.Steps[5].Results = ptr(-1) }, `step 6: results -1: want ≥ 0`},
		{func(f *Funnel) { f.Steps[6].Target = "" }, `step 7: a outlink step needs "target"`},
		{func(f *Funnel) { f.Steps[6].Target = "/partner" }, `step 7: outlink target "/partner": want an absolute http(s) URL`},
		{func(f *Funnel) { f.Steps[7].Target = "" }, `step 8: a download step needs "target"`},
		{func(f *Funnel) { f.Steps[2].DelayMin = time.Minute }, `step 3: delay 1m0s..40s: want 0 ≤ min ≤ max`},
		{func(f *Funnel) { f.Steps[2].DelayMin, f.Steps[2].DelayMax = -time.Second, 0 }, `step 3: delay -1s..0s`},
		{func(f *Funnel) { f.Steps[1].Kind = Ping }, `step 2: unknown step kind ping`},
		{func(f *Funnel) { f.Steps[12].Order.Currency = "eur" }, `step 13: ecommerce: currency "eur": want 3 uppercase letters`},
		{func(f *Funnel) { f.Steps[12].Order.ItemsMin = 0 }, `step 13: ecommerce: items 0..3`},
	} {
		cfg := funnelConfig(append(templateFunnels(), everyStepFunnel())...)
		c.change(&cfg.Funnels[len(cfg.Funnels)-1])
		if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want error %q, got %v", c.want, err)
		}
	}
	// Funnel orders need a run id even with ecommerce off.
	cfg := funnelConfig(everyStepFunnel())
	cfg.Ecommerce, cfg.RunID = nil, ""
	if err := cfg.Check(); err == nil || !strings.Contains(err.Error(), `funnel "every step": step 12: ecommerce: run id ""`) {
		t.Errorf("no run id: %v", err)
	}
	// Without an ecommerce step a funnel needs no run id.
	cfg = funnelConfig(templateFunnels()[1])
	cfg.Ecommerce, cfg.RunID = nil, ""
	if err := cfg.Check(); err != nil {
		t.Errorf("no orders, no run id: %v", err)
	}
}

func TestStepKind(t *testing.T) {
	for name, want := range map[string]Kind{
		"pageview": Pageview, "event": Event, "site_search": SiteSearch, "outlink": Outlink, "download": Download, "ecommerce": Order,
	} {
		if k, ok := StepKind(name); !ok || k != want {
			t.Errorf("StepKind(%q) = %v, %v", name, k, ok)
		}
	}
	for _, bad := range []string{"ping", "order", "", "Pageview"} {
		if _, ok := StepKind(bad); ok {
			t.Errorf("StepKind(%q) accepted", bad)
		}
	}
}

// TestFunnelClamped: Generate survives funnels that skipped Check.
func TestFunnelClamped(t *testing.T) {
	cfg := &Config{SiteID: 1, PageviewsMin: 1, PageviewsMax: 1, Funnels: []Funnel{
		{Name: "empty", Probability: 0.5},
		{Name: "bad", Probability: 1, ExitAfterCompletion: true, Steps: []Step{
			{Kind: Event, DelayMin: time.Second, DelayMax: 0},
			{Kind: Ping, DelayMin: -time.Second, DelayMax: -time.Hour},
			{Kind: SiteSearch, Results: ptr(-3)},
			{Kind: Order},
		}},
	}}
	for i := range uint64(200) {
		v := Generate(cfg, 1, i)
		switch v.Funnel {
		case "":
			if len(v.Hits) != 2 {
				t.Fatalf("visit %d: random visit with %d hits", i, len(v.Hits))
			}
		case "bad":
			kinds := []Kind{}
			for _, h := range v.Hits {
				kinds = append(kinds, h.Kind)
			}
			if len(kinds) != 5 || kinds[0] != Pageview || kinds[1] != Pageview || kinds[2] != SiteSearch || kinds[3] != Order ||
				get(t, v.Hits[2].Params, "search_count") != "0" || v.Duration != 0 {
				t.Fatalf("visit %d: hits %v, duration %v", i, kinds, v.Duration)
			}
		default:
			t.Fatalf("visit %d: funnel %q", i, v.Funnel)
		}
	}
}
