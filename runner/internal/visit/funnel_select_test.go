package visit

import (
	"math"
	"reflect"
	"testing"
)

// TestFunnelShares: shares follow priority, not list order, with each
// funnel's own probability; ties keep the list order.
func TestFunnelShares(t *testing.T) {
	fs := []Funnel{
		{Name: "c", Probability: 0.40, Priority: 2},
		{Name: "a", Probability: 0.35, Priority: 0},
		{Name: "b", Probability: 0.25, Priority: 1},
	}
	per, random := FunnelShares(fs)
	want := []float64{0.65 * 0.75 * 0.40, 0.35, 0.65 * 0.25} // legacy §8.3: 19.5 %, 35 %, 16.25 %
	for i := range want {
		if math.Abs(per[i]-want[i]) > 1e-15 {
			t.Errorf("%s: share %v, want %v", fs[i].Name, per[i], want[i])
		}
	}
	if math.Abs(random-0.2925) > 1e-15 {
		t.Errorf("random share %v, want 0.2925", random)
	}
	// Ties: the first listed is tried first.
	per, random = FunnelShares([]Funnel{{Name: "x", Probability: 0.5, Priority: 1}, {Name: "y", Probability: 0.5, Priority: 1}})
	if !reflect.DeepEqual(per, []float64{0.5, 0.25}) || random != 0.25 {
		t.Errorf("tie: %v, %v", per, random)
	}
	// Out-of-range probabilities are clamped; none at all is all random.
	per, random = FunnelShares([]Funnel{{Probability: -1}, {Probability: math.NaN()}, {Probability: 2}, {Probability: 0.5}})
	if !reflect.DeepEqual(per, []float64{0, 0, 1, 0}) || random != 0 {
		t.Errorf("clamped: %v, %v", per, random)
	}
	if per, random := FunnelShares(nil); len(per) != 0 || random != 1 {
		t.Errorf("no funnels: %v, %v", per, random)
	}
}

// TestFunnelSelection: over 100,000 visits, three funnels listed out of
// order at priorities 0, 1 and 2 get p_k × Π(1 − p_j) of the visits each,
// and random visits the rest, within 3 binomial standard errors.
func TestFunnelSelection(t *testing.T) {
	fs := templateFunnels()
	fs[0], fs[2] = fs[2], fs[0] // list order must not matter
	cfg := funnelConfig(fs...)
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	if cfg.Funnels[0].Priority != 0 || cfg.Funnels[1].Priority != 1 || cfg.Funnels[2].Priority != 2 {
		t.Fatalf("Check did not sort the funnels by priority: %+v", cfg.Funnels)
	}
	counts := map[string]int{}
	for i := range uint64(statVisits) {
		counts[Generate(cfg, 42, i).Funnel]++
	}
	per, random := FunnelShares(cfg.Funnels)
	for i, f := range cfg.Funnels {
		within3SE(t, "funnel "+f.Name, counts[f.Name], statVisits, per[i])
	}
	within3SE(t, "random visits", counts[""], statVisits, random)
	if len(counts) != 4 {
		t.Errorf("funnels %v", counts)
	}
}

// TestUnselectedVisitUnchanged: selection draws from a stream of its own,
// so a visit that no funnel selects is exactly the visit it is without
// funnels, and a funnel with probability 0 changes nothing.
func TestUnselectedVisitUnchanged(t *testing.T) {
	plain := busyConfig()
	with := funnelConfig(templateFunnels()...)
	never := everyStepFunnel()
	never.Probability = 0
	zero := funnelConfig(never)
	random := 0
	for i := range uint64(2000) {
		a, b, c := Generate(plain, 42, i), Generate(with, 42, i), Generate(zero, 42, i)
		if !reflect.DeepEqual(a, c) {
			t.Fatalf("visit %d changes with a funnel of probability 0", i)
		}
		if b.Funnel != "" {
			continue
		}
		random++
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("random visit %d differs once funnels are configured", i)
		}
	}
	if random < 400 {
		t.Errorf("only %d random visits out of 2000", random)
	}
}

// TestExpectedHitsFunnels: the expected hits mix random visits and funnel
// visits by their shares. Busy model (1..5 pages: mean 3, P(≥ 2) = 0.8);
// funnel A (p 0.5) exits after a pageview, an event and an order; funnel B
// (p 0.5, so 0.25 of visits) browses on after a pageview and a search;
// random visits are the remaining 0.25.
func TestExpectedHitsFunnels(t *testing.T) {
	cfg := funnelConfig(
		Funnel{Name: "B", Probability: 0.5, Priority: 1, Steps: []Step{{Kind: Pageview}, {Kind: SiteSearch, Keyword: "k"}}},
		Funnel{Name: "A", Probability: 0.5, ExitAfterCompletion: true, Steps: []Step{{Kind: Pageview}, {Kind: Event, Category: "c", Action: "a"}, {Kind: Order}}},
	)
	got := ExpectedHits(cfg)
	want := map[Kind]float64{
		Pageview:   0.25*3 + 0.5*1 + 0.25*(1+3),
		SiteSearch: 0.25*0.6*0.8 + 0.25*(1+0.6),
		Outlink:    0.25*0.5*0.8 + 0.25*0.5,
		Download:   0.25*0.55*0.8 + 0.25*0.55,
		Event:      0.25*1.35*0.8 + 0.5*1 + 0.25*1.35,
		Order:      0.25*0.5*0.8 + 0.5*1 + 0.25*0.5,
		Ping:       1,
	}
	for k, w := range want {
		if math.Abs(got[k]-w) > 1e-12 {
			t.Errorf("%v: %v, want %v", k, got[k], w)
		}
	}
	if len(got) != int(NumKinds) {
		t.Errorf("kinds %v", got)
	}
}
