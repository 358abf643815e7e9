package visit

import (
	"sort"
	"time"
)

// Funnel is a scripted journey, resolved from the scenario: a visit that
// selects it sends its steps in order instead of browsing at random.
type Funnel struct {
	Name        string
	Probability float64 // chance of being selected when the walk reaches it
	Priority    int     // the walk goes in ascending priority, stable for ties
	// ExitAfterCompletion ends the visit with the last step; false goes on
	// with random browsing within the same visit (same _id and
	// fingerprint, no second new_visit).
	ExitAfterCompletion bool
	Steps               []Step
	// EndDelayMin..EndDelayMax is the simulated time after the last step
	// (cdt only): before the ping, or before the browsing that follows.
	EndDelayMin, EndDelayMax time.Duration
}

// Step is one step of a funnel. Kind says what it sends and which fields
// apply: Pageview (URL, ActionName), Event (Category, Action, Name, Value),
// SiteSearch (Keyword, SearchCategory, Results), Outlink and Download
// (Target), Order (Order). Every kind has URL, ActionName and the delay.
type Step struct {
	Kind Kind
	// URL is the page the step happens on: absolute, or a path on the site
	// (resolved against the origin of Config.Pages). Empty: the page of the
	// previous step, or a random page for the first step.
	URL string
	// ActionName replaces the default action_name (legacy: "Funnel: <name>
	// (i/n)", "Funnel Event: <action>", "Funnel Search: <keyword>",
	// "Funnel Outlink: <target>", "Funnel Download: <file>", "Funnel
	// Order: <ec_id>").
	ActionName string
	// DelayMin..DelayMax is the simulated time before the step (cdt only).
	// The first step's delay has no effect: a visit starts with its first
	// hit.
	DelayMin, DelayMax time.Duration

	Category, Action, Name string   // event: e_c, e_a (both required), e_n
	Value                  *float64 // event: e_v; nil sends none

	Keyword, SearchCategory string // site_search: search (required), search_cat
	Results                 *int   // site_search: search_count; nil draws 0..25

	// Target is the outlink (absolute) or the download (absolute, or a
	// path resolved against the step's page).
	Target string

	// Order is the order model of an ecommerce step (its Probability is
	// ignored: the step always orders). nil uses Config.Ecommerce, or the
	// legacy defaults when that is off too.
	Order *Ecommerce
}

// stepKinds maps the scenario's step types to hit kinds.
var stepKinds = map[string]Kind{
	"pageview": Pageview, "event": Event, "site_search": SiteSearch,
	"outlink": Outlink, "download": Download, "ecommerce": Order,
}

// StepKind returns the kind of a scenario step type (pageview, event,
// site_search, outlink, download, ecommerce).
func StepKind(typ string) (Kind, bool) {
	k, ok := stepKinds[typ]
	return k, ok
}

// MaxFunnelSteps bounds a funnel: every ecommerce step is an order, and
// order ids must stay within Matomo's 100 characters.
const MaxFunnelSteps = 1000

// defaultOrders is the order model of an ecommerce step when neither the
// step nor the target has one: the legacy defaults (legacy §4).
var defaultOrders = Ecommerce{
	Probability: 1, Currency: "USD", OrderMin: 15.99, OrderMax: 299.99,
	ItemsMin: 1, ItemsMax: 5, TaxRate: 0.10, Shipping: []float64{0, 5.99, 9.99, 15.99},
}

// orderModel is the order model of an ecommerce step.
func (s *Step) orderModel(cfg *Config) *Ecommerce {
	switch {
	case s.Order != nil:
		return s.Order
	case cfg.Ecommerce != nil:
		return cfg.Ecommerce
	}
	return &defaultOrders
}

// SortFunnels orders funnels by ascending priority, keeping the given
// order for ties: the order in which selection walks them. Check does it.
func SortFunnels(fs []Funnel) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Priority < fs[j].Priority })
}

// FunnelShares returns the share of visits each funnel gets (index-aligned
// with funnels) and the share of random visits. Selection walks the
// funnels in ascending priority and stops at the first whose own draw
// succeeds, so funnel k gets p_k × Π (1 − p_j) over the funnels j before
// it, and random visits get what is left: Π (1 − p_j) over all.
func FunnelShares(funnels []Funnel) (perFunnel []float64, random float64) {
	order := make([]int, len(funnels))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return funnels[order[a]].Priority < funnels[order[b]].Priority })
	perFunnel = make([]float64, len(funnels))
	random = 1
	for _, i := range order {
		p := funnels[i].Probability
		if !(p > 0) {
			p = 0 // NaN too: such a funnel is never selected
		}
		p = min(p, 1)
		perFunnel[i] = random * p
		random *= 1 - p
	}
	return perFunnel, random
}

// funnelSalt separates the selection stream from the visit's own stream,
// so that a visit no funnel selects is the very visit it would be with no
// funnels configured.
const funnelSalt = 0x3c6ef372fe94f82b

// pickFunnel walks the funnels in their order (ascending priority after
// Check) and returns the first whose draw succeeds, or nil for a random
// visit. It draws from a stream of its own.
func pickFunnel(fs []Funnel, seed, index uint64) *Funnel {
	if len(fs) == 0 {
		return nil
	}
	r := newRand(seed^funnelSalt, index)
	for i := range fs {
		if r.Float64() < fs[i].Probability {
			return &fs[i]
		}
	}
	return nil
}
