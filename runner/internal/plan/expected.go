package plan

import (
	"math"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// Expected are expected values of a run: visits from the integral of the
// planned rate over the timeline (capped by max_visits), hits by kind from
// the probabilities of the visit model, and requests after bulking.
type Expected struct {
	Visits     float64            `json:"visits"`
	Hits       float64            `json:"hits"`
	HitsByKind map[string]float64 `json:"hits_by_kind"`
	Requests   float64            `json:"requests"`
	// HitsPerVisit is the mean number of hits of one visit.
	HitsPerVisit float64 `json:"hits_per_visit"`
	// ReturningShare is the share of visits by earlier visitors of the run
	// (traffic.returning, less where the run is too short for visitors 30
	// minutes old); UniqueVisitors are the visitors the visits come from.
	ReturningShare float64 `json:"returning_share"`
	UniqueVisitors float64 `json:"unique_visitors"`
}

// compileExpected fills the expected values of the plan and of each
// target. An open-ended run (no duration, no max_visits, no end of stages)
// has no expected totals: Unbounded is set instead.
func (p *Plan) compileExpected(meanRequests bool) {
	visits := 0.0
	if p.Backfill != nil {
		visits = float64(p.Backfill.Visits)
	} else if end := p.pacer.End(); end > 0 {
		visits = p.pacer.Expected(end)
	} else if p.Stop.MaxVisits == 0 {
		p.Unbounded = true
	}
	if p.Backfill == nil && p.Stop.MaxVisits > 0 && (p.Unbounded || visits > float64(p.Stop.MaxVisits)) {
		visits = float64(p.Stop.MaxVisits)
		p.Unbounded = false
	}
	total := Expected{HitsByKind: map[string]float64{}}
	for i := range p.Targets {
		t := &p.Targets[i]
		cfg, err := p.VisitConfig(t, nil, "plan")
		if err != nil || !t.Enabled {
			t.Expected = Expected{HitsByKind: map[string]float64{}}
			continue
		}
		t.Expected = expectedFor(cfg, visits*t.Share, t.Bulk)
		total.Visits += t.Expected.Visits
		total.Hits += t.Expected.Hits
		total.Requests += t.Expected.Requests
		for k, v := range t.Expected.HitsByKind {
			total.HitsByKind[k] += v
		}
	}
	if total.Visits > 0 {
		total.HitsPerVisit = total.Hits / total.Visits
		total.ReturningShare = min(p.returningVisits(total.Visits)/total.Visits, 1)
	}
	total.UniqueVisitors = total.Visits * (1 - total.ReturningShare)
	for i := range p.Targets {
		e := &p.Targets[i].Expected
		e.ReturningShare = total.ReturningShare
		e.UniqueVisitors = e.Visits * (1 - e.ReturningShare)
	}
	p.Expected = total
	if !meanRequests {
		p.compileBackfillRequests()
	}
	if bf := p.Backfill; bf != nil && bf.RPS > 0 && total.Hits > 0 {
		// Requests per second beside the visits per second of the cap.
		bf.RequestsPerS = bf.RPS * p.Expected.Requests / total.Visits
	}
}

func expectedFor(cfg *visit.Config, visits float64, bulk int) Expected {
	per := visit.ExpectedHits(cfg)
	e := Expected{Visits: visits, HitsByKind: map[string]float64{}}
	for k := kind.HitKind(0); k < kind.NumHitKinds; k++ {
		e.HitsPerVisit += per[k]
		e.HitsByKind[k.String()] = per[k] * visits
		e.Hits += per[k] * visits
	}
	e.Requests = e.Hits
	if bulk > 0 {
		// A bulk request carries up to bulk hits, but never more than the
		// visits in flight can fill; the ideal is hits/bulk. A backfill
		// counts its very visits instead (compileBackfillRequests); in
		// realtime the pauses split visits and this stays a lower bound.
		e.Requests = math.Ceil(e.Hits / float64(bulk))
	}
	return e
}
