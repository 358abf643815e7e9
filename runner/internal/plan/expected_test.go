package plan

import (
	"math"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// TestExpectedMatchesSimulation holds the plan's expected values against
// what the engine actually generates: the arrival schedule is counted, and
// 100,000 seeded visits are generated with each target's visit model.
func TestExpectedMatchesSimulation(t *testing.T) {
	for _, path := range []string{"../../examples/reference.yaml", "../../examples/quickstart.yaml"} {
		p := compileFile(t, path)
		// Visits: count the scheduled arrivals (capped by max_visits).
		var n uint64
		for {
			if p.Stop.MaxVisits > 0 && int64(n) >= p.Stop.MaxVisits {
				break
			}
			if _, ok := p.Pacer().Due(n); !ok {
				break
			}
			n++
		}
		if math.Abs(float64(n)-p.Expected.Visits) > math.Max(1, 0.01*p.Expected.Visits) {
			t.Errorf("%s: %d arrivals scheduled, plan expects %.1f", path, n, p.Expected.Visits)
		}
		for i := range p.Targets {
			tg := &p.Targets[i]
			if !tg.Enabled || tg.Expected.Visits == 0 {
				continue
			}
			cfg, err := p.VisitConfig(tg, nil, "sim")
			if err != nil {
				t.Fatal(err)
			}
			const visits = 100000
			var got [kind.NumHitKinds]float64
			for v := uint64(0); v < visits; v++ {
				for _, h := range visit.Generate(cfg, 42, v).Hits {
					got[h.Kind]++
				}
			}
			total := 0.0
			for _, c := range got {
				total += c
			}
			if want := tg.Expected.Hits / tg.Expected.Visits * visits; math.Abs(total-want) > 0.01*want {
				t.Errorf("%s target %s: %v hits in %d simulated visits, plan expects %.1f", path, tg.Name, total, visits, want)
			}
			for k := kind.HitKind(0); k < kind.NumHitKinds; k++ {
				want := tg.Expected.HitsByKind[k.String()] / tg.Expected.Visits * visits
				// 1 % of the expected count, or three standard errors of a
				// Poisson count when 1 % is below sampling noise (rare kinds:
				// 4,000 orders have a standard error of 1.6 %).
				tol := math.Max(0.01*want, 3*math.Sqrt(want))
				if math.Abs(got[k]-want) > tol {
					t.Errorf("%s target %s: %s hits %v in %d simulated visits, plan expects %.1f (±%.1f)",
						path, tg.Name, k, got[k], visits, want, tol)
				}
			}
		}
	}
}
