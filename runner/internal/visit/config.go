package visit

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/targets"
)

// Config is the fully resolved visit model of one target. The plan compiler
// fills it from the scenario; Check validates it.
type Config struct {
	SiteID int
	// Pages are the pages a visit draws from; nil means the built-in site
	// map (catalog.Builtin).
	Pages []catalog.Page

	PageviewsMin, PageviewsMax int
	// PauseMin..PauseMax is the real time to wait between two hits of a
	// visit; the runner sleeps it, Generate only draws it per hit.
	PauseMin, PauseMax time.Duration
	// DurationMin..DurationMax is the simulated time on site, which only
	// shows in cdt.
	DurationMin, DurationMax time.Duration

	// Referrer shares. Direct is what the other four leave: a visit is a
	// search visit with probability Search, social with Social, referral
	// with Referral, campaign with Campaign and direct otherwise, so with
	// shares that add up to 1 the direct share is exactly Direct (legacy
	// defect 8 raised it to at least 0.30).
	Direct, Search, Social, Referral, Campaign float64

	// Per-visit probabilities of the actions.
	SiteSearch, Outlinks, Downloads, ClickEvents, RandomEvents float64
	Ecommerce                                                  *Ecommerce // nil: no orders

	// Geo adds a visitor IP (cip) drawn by Countries, or by the default
	// legacy country table when Countries is nil.
	Geo       bool
	Countries []CountryShare

	// RunID is unique per run; every order id starts with it, so that two
	// runs never send the same ec_id (Matomo drops a repeated one).
	RunID string

	// Returning, when not nil, makes a share of visits come from earlier
	// visitors of the run.
	Returning *Returning

	// Funnels are the scripted journeys a visit may follow instead of
	// browsing at random, walked in this order: Check sorts them by
	// ascending priority (stable).
	Funnels []Funnel
}

// Ecommerce is the order model.
type Ecommerce struct {
	Probability        float64
	Currency           string
	OrderMin, OrderMax float64 // revenue bounds, kept when possible
	ItemsMin, ItemsMax int
	TaxRate            float64   // on the subtotal only; shipping is not taxed
	Shipping           []float64 // shipping costs, one drawn per order
}

// CountryShare is one row of a country mix: an ISO code of the geoip table
// and its share of visits.
type CountryShare struct {
	Code  string
	Share float64
}

// CountryShares turns a code → share map (the scenario form) into a country
// mix in a fixed order: largest share first, then by code.
func CountryShares(m map[string]float64) []CountryShare {
	out := make([]CountryShare, 0, len(m))
	for c, s := range m {
		out = append(out, CountryShare{Code: c, Share: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Share != out[j].Share {
			return out[i].Share > out[j].Share
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// Limits checked by Check.
const (
	MaxPageviews = 1000
	MaxItems     = 100
	maxRunID     = 80 // ec_id is at most 100 characters in Matomo: run id + "-" + 13 base-36 digits
)

// Check reports every problem of c, joined; nil when Generate can use it.
// It also sorts c.Funnels by priority, the order selection walks them in.
func (c *Config) Check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if c.SiteID < 1 {
		bad("site id %d: want ≥ 1", c.SiteID)
	}
	if c.PageviewsMin < 1 || c.PageviewsMin > c.PageviewsMax || c.PageviewsMax > MaxPageviews {
		bad("pageviews %d..%d: want 1 ≤ min ≤ max ≤ %d", c.PageviewsMin, c.PageviewsMax, MaxPageviews)
	}
	if c.PauseMin < 0 || c.PauseMin > c.PauseMax {
		bad("pause %v..%v: want 0 ≤ min ≤ max", c.PauseMin, c.PauseMax)
	}
	if c.DurationMin < 0 || c.DurationMin > c.DurationMax {
		bad("visit duration %v..%v: want 0 ≤ min ≤ max", c.DurationMin, c.DurationMax)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{
		{"direct share", c.Direct}, {"search share", c.Search}, {"social share", c.Social}, {"referral share", c.Referral},
		{"campaign share", c.Campaign},
		{"site search", c.SiteSearch}, {"outlinks", c.Outlinks}, {"downloads", c.Downloads},
		{"click events", c.ClickEvents}, {"random events", c.RandomEvents},
	} {
		if !(p.v >= 0 && p.v <= 1) {
			bad("%s %v: want 0 … 1", p.name, p.v)
		}
	}
	if sum := c.Direct + c.Search + c.Social + c.Referral + c.Campaign; sum > 1+1e-9 {
		bad("source shares add up to %v: want ≤ 1", sum)
	}
	if e := c.Ecommerce; e != nil {
		errs = append(errs, e.check(c.RunID)...)
	}
	if c.Geo {
		errs = append(errs, checkCountries(c.Countries)...)
	}
	errs = append(errs, c.checkFunnels()...)
	SortFunnels(c.Funnels)
	return errors.Join(errs...)
}

func (e *Ecommerce) check(runID string) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("ecommerce: "+format, args...)) }
	if !(e.Probability >= 0 && e.Probability <= 1) {
		bad("probability %v: want 0 … 1", e.Probability)
	}
	if len(e.Currency) != 3 || !isUpper(e.Currency) {
		bad("currency %q: want 3 uppercase letters", e.Currency)
	}
	if !(e.OrderMin >= 0.01) || !(e.OrderMin <= e.OrderMax) || e.OrderMax > 1e9 {
		bad("order value %v..%v: want 0.01 ≤ min ≤ max ≤ 1e9", e.OrderMin, e.OrderMax)
	}
	if e.ItemsMin < 1 || e.ItemsMin > e.ItemsMax || e.ItemsMax > MaxItems {
		bad("items %d..%d: want 1 ≤ min ≤ max ≤ %d", e.ItemsMin, e.ItemsMax, MaxItems)
	}
	if !(e.TaxRate >= 0 && e.TaxRate <= 1) {
		bad("tax rate %v: want 0 … 1", e.TaxRate)
	}
	if len(e.Shipping) == 0 {
		bad("no shipping cost: want at least one (0 for free shipping)")
	}
	for _, s := range e.Shipping {
		if !(s >= 0 && s <= 1e6) {
			bad("shipping cost %v: want 0 … 1e6", s)
		}
	}
	if runID == "" || len(runID) > maxRunID || !isIDText(runID) {
		bad("run id %q: want 1 … %d characters of A-Z a-z 0-9 . _ - (it starts every ec_id)", runID, maxRunID)
	}
	return errs
}

func checkCountries(cs []CountryShare) []error {
	if cs == nil {
		return nil
	}
	var errs []error
	known := map[string]bool{}
	for _, c := range targets.Countries() {
		known[c.Code] = true
	}
	total := 0.0
	for _, c := range cs {
		if !known[c.Code] {
			errs = append(errs, fmt.Errorf("geo: unknown country %q", c.Code))
		}
		if !(c.Share >= 0) || math.IsInf(c.Share, 0) {
			errs = append(errs, fmt.Errorf("geo: country %s share %v: want ≥ 0", c.Code, c.Share))
		}
		total += c.Share
	}
	if !(total > 0) {
		errs = append(errs, errors.New("geo: the country shares add up to 0"))
	}
	return errs
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isIDText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
