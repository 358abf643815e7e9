package model

// Funnel step types.
const (
	StepPageview   = "pageview"
	StepEvent      = "event"
	StepSiteSearch = "site_search"
	StepOutlink    = "outlink"
	StepDownload   = "download"
	StepEcommerce  = "ecommerce"
)

// stepRequired lists the fields each step type needs; a missing one is a
// validate-time error rather than a visit that dies half-way (legacy B14).
var stepRequired = map[string][]string{
	StepEvent:      {"category", "action"},
	StepSiteSearch: {"keyword"},
	StepOutlink:    {"target"},
	StepDownload:   {"target"},
}

// IsEnabled reports whether the funnel is in use (the default).
func (f *Funnel) IsEnabled() bool { return f.Enabled == nil || *f.Enabled }

// ExitsAfterCompletion reports whether the visit ends with the funnel (the
// default) or goes on browsing within the same visit.
func (f *Funnel) ExitsAfterCompletion() bool {
	return f.ExitAfterCompletion == nil || *f.ExitAfterCompletion
}

func (c *checker) checkFunnels() {
	seen := map[string]bool{}
	for i := range c.s.Traffic.Funnels {
		f := &c.s.Traffic.Funnels[i]
		p := idx("/traffic/funnels", i)
		if seen[f.Name] {
			c.errorf(p+"/name", "funnel names must be unique; reports count each by name", "duplicate funnel name %q", f.Name)
		}
		seen[f.Name] = true
		c.probability(p+"/probability", &f.Probability)
		if len(f.Steps) > 0 && f.Steps[0].Type != StepPageview {
			c.errorf(p+"/steps/0/type", "start the funnel with a pageview step: the visit needs a page before any action",
				"the first step of funnel %q is %s, not a pageview", f.Name, f.Steps[0].Type)
		}
		for j := range f.Steps {
			c.checkStep(idx(p+"/steps", j), &f.Steps[j])
		}
		c.durationRange(p+"/end_delay", f.EndDelay)
	}
}

func (c *checker) checkStep(p string, st *FunnelStep) {
	c.durationRange(p+"/delay", st.Delay)
	c.floatRange(p+"/order_value", st.OrderValue)
	c.intRange(p+"/items", st.Items)
	values := map[string]string{
		"category": st.Category, "action": st.Action, "keyword": st.Keyword, "target": st.Target,
	}
	for _, field := range stepRequired[st.Type] {
		if values[field] == "" {
			c.errorKey(p+"/type", "", "a %s step needs %q", st.Type, field)
		}
	}
	if st.Target != "" && st.Type == StepOutlink {
		c.absoluteURL(p+"/target", st.Target)
	}
}
