package plan_test

import (
	"math"
	"sort"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/scenario"
)

// matomoSim replays generated visits through Matomo's visit recognition,
// as ../shared/spec/matomo-tracking.md describes it, for a target that
// sends no cip (every visit from one IP address):
//   - a hit with new_visit=1 starts a new visit;
//   - any other hit joins the visit of the same site, among those whose
//     last action (visit_last_action_time, from cdt) is at most 30 minutes
//     before the hit's cdt and that have the hit's fingerprint (IP, OS,
//     browser name and version, plugins, language; not the resolution), with
//     the latest last action; with none, it starts a new visit;
//   - a joined visit's last action becomes the later of its own and the
//     hit's cdt.
//
// Visits start as the realtime executor starts them: visit n at n/rate
// seconds, its hits after their pauses, each cdt = start − duration +
// offset in whole seconds (StampEnd). Matomo sees the hits in the order
// they are sent. It returns the share of visits among the middle half
// (away from the edges of the run) that are not intact: one of their hits
// went to another visit, or their visit got another visit's hit.
func matomoSim(t *testing.T, cfg *visit.Config, seed uint64, rate float64, n int) float64 {
	t.Helper()
	type hit struct {
		wall, cdt float64
		visit     int
		k         int
	}
	fps := make([]string, n)
	var hits []hit
	for i := range n {
		v := visit.Generate(cfg, seed, uint64(i))
		fps[i] = v.UserAgent + "|" + v.Lang + "|" + string(rune('a'+int(v.Plugins)))
		start := float64(i) / rate
		wall := start
		for k, h := range v.Hits {
			wall += h.Pause.Seconds()
			hits = append(hits, hit{wall: wall, cdt: math.Floor(start - v.Duration.Seconds() + h.Offset.Seconds()), visit: i, k: k})
		}
		v.Release()
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].wall < hits[b].wall })

	type mvisit struct {
		owner   int
		last    float64
		foreign bool // got a hit of another generated visit
	}
	byFP := map[string][]*mvisit{}
	first := make([]*mvisit, n)
	strayed := make([]bool, n)
	for _, h := range hits {
		fp := fps[h.visit]
		if h.k == 0 {
			mv := &mvisit{owner: h.visit, last: h.cdt}
			first[h.visit] = mv
			byFP[fp] = append(byFP[fp], mv)
			continue
		}
		var best *mvisit
		live := byFP[fp][:0]
		for _, mv := range byFP[fp] {
			if mv.last < h.wall-3*3600 {
				continue // long over: forget it
			}
			live = append(live, mv)
			if mv.last >= h.cdt-1800 && (best == nil || mv.last >= best.last) {
				best = mv
			}
		}
		byFP[fp] = live
		if best == nil {
			strayed[h.visit] = true // split: a visit of its own
			continue
		}
		best.last = max(best.last, h.cdt)
		if best.owner != h.visit {
			strayed[h.visit] = true
			best.foreign = true
		}
	}
	bad := 0
	for i := n / 4; i < 3*n/4; i++ {
		if strayed[i] || first[i].foreign {
			bad++
		}
	}
	return float64(bad) / float64(n/2)
}

// TestMergeRiskMatchesSimulation: the plan's merge-risk estimate is
// within 2 percentage points of the simulation of Matomo's matching for a
// token-less target at 1, 5 and 50 visits/s, with the default visit.
func TestMergeRiskMatchesSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 100,000 visits")
	}
	for _, c := range []struct {
		rate string
		n    int
	}{{"1/s", 20000}, {"5/s", 20000}, {"50/s", 60000}} {
		yaml := "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: {name: merge}\nrun: {rate: " + c.rate + ", duration: 1h, seed: 11}\n" +
			"targets:\n  - {name: m, url: https://m.example/matomo.php, site_id: 1}\n"
		res := scenario.Load("m.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, CheckTarget: plan.CheckTarget})
		if !res.Valid() {
			t.Fatalf("invalid: %v", res.Diags)
		}
		p, err := plan.Compile(res.Scenario, plan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := p.VisitConfig(&p.Targets[0], nil, "sim")
		if err != nil {
			t.Fatal(err)
		}
		rate := p.Stages[0].FromRate
		sim := matomoSim(t, cfg, p.Seed, rate, c.n)
		est := p.Targets[0].MergeRisk
		t.Logf("%s: estimate %.4f, simulation %.4f", c.rate, est, sim)
		if math.Abs(est-sim) > 0.02 {
			t.Errorf("%s: the plan estimates %.1f%% merged visits, the simulation of Matomo gives %.1f%%", c.rate, 100*est, 100*sim)
		}
		warned := false
		for _, w := range p.Warnings {
			warned = warned || w.Path == "/targets/0/name" && w.Hint != "" && est > plan.MergeRiskWarn
		}
		if est > plan.MergeRiskWarn && !warned {
			t.Errorf("%s: no warning for an estimate of %.1f%%", c.rate, 100*est)
		}
	}
}
