package visit

import (
	"fmt"
	"math"
	"strings"
)

// checkFunnels reports the problems of the funnels: what the scenario
// validation rejects too (a missing required field would otherwise send a
// half-empty hit), and what Generate relies on.
func (c *Config) checkFunnels() []error {
	var errs []error
	seen := map[string]bool{}
	for i := range c.Funnels {
		f := &c.Funnels[i]
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("funnel %q: "+format, append([]any{f.Name}, args...)...))
		}
		if f.Name == "" {
			bad("no name: reports count funnels by name")
		} else if seen[f.Name] {
			bad("duplicate name: reports count funnels by name")
		}
		seen[f.Name] = true
		if !(f.Probability >= 0 && f.Probability <= 1) {
			bad("probability %v: want 0 … 1", f.Probability)
		}
		switch {
		case len(f.Steps) == 0:
			bad("no steps")
		case len(f.Steps) > MaxFunnelSteps:
			bad("%d steps: want at most %d", len(f.Steps), MaxFunnelSteps)
		case f.Steps[0].Kind != Pageview:
			bad("the first step is %v: want a pageview (the visit needs a page before any action)", f.Steps[0].Kind)
		}
		for j := range f.Steps {
			for _, e := range c.checkStep(&f.Steps[j]) {
				bad("step %d: %v", j+1, e)
			}
		}
		if f.EndDelayMin < 0 || f.EndDelayMin > f.EndDelayMax {
			bad("end delay %v..%v: want 0 ≤ min ≤ max", f.EndDelayMin, f.EndDelayMax)
		}
	}
	return errs
}

func (c *Config) checkStep(s *Step) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if s.DelayMin < 0 || s.DelayMin > s.DelayMax {
		bad("delay %v..%v: want 0 ≤ min ≤ max", s.DelayMin, s.DelayMax)
	}
	need := func(field, value string) {
		if value == "" {
			bad("a %s step needs %q", s.Kind, field)
		}
	}
	switch s.Kind {
	case Pageview:
	case Event:
		need("category", s.Category)
		need("action", s.Action)
		if s.Value != nil && (math.IsNaN(*s.Value) || math.IsInf(*s.Value, 0)) {
			bad("event value %v: want a finite number", *s.Value)
		}
	case SiteSearch:
		need("keyword", s.Keyword)
		if s.Results != nil && *s.Results < 0 {
			bad("results %d: want ≥ 0", *s.Results)
		}
	case Outlink:
		need("target", s.Target)
		if s.Target != "" && !isHTTPURL(s.Target) {
			bad("outlink target %q: want an absolute http(s) URL", s.Target)
		}
	case Download:
		need("target", s.Target)
	case Order:
		for _, e := range s.orderModel(c).check(c.RunID) {
			bad("%v", e)
		}
	default:
		bad("unknown step kind %v", s.Kind)
	}
	return errs
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
