package plan

import (
	"slices"

	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/scenario"
)

// compileFunnels keeps the enabled funnels in priority order with their
// effective shares: funnel k is chosen with p_k × Π_{j<k}(1 − p_j).
func (p *Plan) compileFunnels(s *scenario.Scenario) {
	var fs []Funnel
	for i := range s.Traffic.Funnels {
		f := &s.Traffic.Funnels[i]
		if !f.IsEnabled() {
			continue
		}
		fs = append(fs, Funnel{Name: f.Name, Probability: f.Probability, Priority: f.Priority,
			ExitAfterCompletion: f.ExitsAfterCompletion(), Steps: len(f.Steps), steps: f.Steps, endDelay: f.EndDelay})
	}
	slices.SortStableFunc(fs, func(a, b Funnel) int { return a.Priority - b.Priority })
	shares, random := visit.FunnelShares(funnelModels(fs, nil))
	for i := range fs {
		fs[i].Share = shares[i]
	}
	p.Traffic.Funnels = fs
	p.Traffic.RandomShare = random
}

// funnelModels turns the plan's funnels into the visit model's. shop is the
// target's order model, which ecommerce steps start from.
func funnelModels(fs []Funnel, shop *Ecommerce) []visit.Funnel {
	if len(fs) == 0 {
		return nil
	}
	out := make([]visit.Funnel, len(fs))
	for i := range fs {
		f := &fs[i]
		vf := visit.Funnel{Name: f.Name, Probability: f.Probability, Priority: f.Priority,
			ExitAfterCompletion: f.ExitAfterCompletion, Steps: make([]visit.Step, len(f.steps))}
		for j := range f.steps {
			vf.Steps[j] = funnelStep(&f.steps[j], shop)
		}
		if d := f.endDelay; d != nil {
			vf.EndDelayMin, vf.EndDelayMax = d.Min.D, d.Max.D
		}
		out[i] = vf
	}
	return out
}

func funnelStep(st *scenario.FunnelStep, shop *Ecommerce) visit.Step {
	k, _ := visit.StepKind(st.Type)
	s := visit.Step{Kind: k, URL: st.URL, ActionName: st.ActionName, Category: st.Category, Action: st.Action,
		Name: st.Name, Value: st.Value, Keyword: st.Keyword, SearchCategory: st.SearchCategory, Results: st.Results, Target: st.Target}
	if d := st.Delay; d != nil {
		s.DelayMin, s.DelayMax = d.Min.D, d.Max.D
	}
	if k == visit.Order {
		base := shop
		if base == nil {
			base = defaultEcommerce() // ecommerce off for random visits: the step orders anyway
		}
		e := &visit.Ecommerce{Probability: 1, Currency: base.Currency, OrderMin: base.OrderMin, OrderMax: base.OrderMax,
			ItemsMin: base.ItemsMin, ItemsMax: base.ItemsMax, TaxRate: base.TaxRate, Shipping: base.Shipping}
		if v := st.OrderValue; v != nil {
			e.OrderMin, e.OrderMax = v.Min, v.Max
		}
		if n := st.Items; n != nil {
			e.ItemsMin, e.ItemsMax = n.Min, n.Max
		}
		s.Order = e
	}
	return s
}
