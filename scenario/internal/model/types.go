package model

import "github.com/trafficinator/trafficinator/scenario/internal/diag"

// APIVersion and Kind identify a v1 scenario document.
const (
	APIVersion = "trafficinator/v1"
	Kind       = "Scenario"
)

// Scenario is the typed form of a v1 scenario file. Field names follow the
// YAML keys; docs/scenario.md documents each one with its default and range.
// Defaults are not filled in here: the plan compiler resolves them, so that a
// scenario can be printed back exactly as written.
type Scenario struct {
	APIVersion string   `yaml:"apiVersion" json:"apiVersion"`
	Kind       string   `yaml:"kind" json:"kind"`
	Metadata   Metadata `yaml:"metadata" json:"metadata"`
	Run        Run      `yaml:"run" json:"run"`
	Targets    []Target `yaml:"targets" json:"targets"`
	Routing    string   `yaml:"routing,omitempty" json:"routing,omitempty"`
	Traffic    Traffic  `yaml:"traffic" json:"traffic"`
	Policies   []Policy `yaml:"policies,omitempty" json:"policies,omitempty"`
	Source     *Source  `yaml:"-" json:"-"`
}

// Metadata names and describes a scenario.
type Metadata struct {
	Name        string            `yaml:"name" json:"name"`
	Description string            `yaml:"description,omitempty" json:"description,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty" json:"labels,omitempty"`
}

// Run says how fast, how long and in which mode visits are generated.
type Run struct {
	Mode        string    `yaml:"mode,omitempty" json:"mode,omitempty"` // realtime | backfill
	Rate        *Rate     `yaml:"rate,omitempty" json:"rate,omitempty"`
	Stages      []Stage   `yaml:"stages,omitempty" json:"stages,omitempty"`
	Duration    *Duration `yaml:"duration,omitempty" json:"duration,omitempty"`
	MaxVisits   int64     `yaml:"max_visits,omitempty" json:"max_visits,omitempty"`
	DailyCap    int64     `yaml:"daily_cap,omitempty" json:"daily_cap,omitempty"`
	Concurrency int       `yaml:"concurrency,omitempty" json:"concurrency,omitempty"`
	Seed        *int64    `yaml:"seed,omitempty" json:"seed,omitempty"`
	Timezone    string    `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	Backfill    *Backfill `yaml:"backfill,omitempty" json:"backfill,omitempty"`
}

// Stage moves the arrival rate linearly to Rate over Duration.
type Stage struct {
	Duration Duration `yaml:"duration" json:"duration"`
	Rate     Rate     `yaml:"rate" json:"rate"`
}

// Backfill is the historical window replayed in backfill mode. The window is
// absolute (From/To) or relative (LastDays, OffsetDays), never both.
type Backfill struct {
	From          *Date         `yaml:"from,omitempty" json:"from,omitempty"`
	To            *Date         `yaml:"to,omitempty" json:"to,omitempty"`
	LastDays      int           `yaml:"last_days,omitempty" json:"last_days,omitempty"`
	OffsetDays    int           `yaml:"offset_days,omitempty" json:"offset_days,omitempty"`
	VisitsPerDay  *VisitsPerDay `yaml:"visits_per_day,omitempty" json:"visits_per_day,omitempty"`
	MaxVisits     int64         `yaml:"max_visits,omitempty" json:"max_visits,omitempty"`
	RPS           BackfillRPS   `yaml:"rps,omitempty" json:"rps,omitzero"`
	HourlyWeights []float64     `yaml:"hourly_weights,omitempty" json:"hourly_weights,omitempty"`
	Invalidate    bool          `yaml:"invalidate,omitempty" json:"invalidate,omitempty"`
	Pos           diag.Pos      `yaml:"-" json:"-"`
}

// Target is one Matomo endpoint (or the built-in sink) that receives visits.
type Target struct {
	Name      string `yaml:"name" json:"name"`
	Kind      string `yaml:"kind,omitempty" json:"kind,omitempty"` // matomo (default) | sink | any kind of targets/registry.go
	URL       string `yaml:"url,omitempty" json:"url,omitempty"`
	SiteID    int    `yaml:"site_id" json:"site_id"`
	SiteURL   string `yaml:"site_url,omitempty" json:"site_url,omitempty"`
	APIURL    string `yaml:"api_url,omitempty" json:"api_url,omitempty"`
	TokenAuth string `yaml:"token_auth,omitempty" json:"token_auth,omitempty"`
	// VerifyToken is the token verification reads the Reporting API with
	// (view access on the site); "" means TokenAuth (docs/verify.md).
	VerifyToken string   `yaml:"verify_token,omitempty" json:"verify_token,omitempty"`
	Weight      *float64 `yaml:"weight,omitempty" json:"weight,omitempty"`
	Enabled     *bool    `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	// Optional: a failed preflight leaves the target out with a warning;
	// otherwise it stops the run before any traffic (exit 3).
	Optional           bool              `yaml:"optional,omitempty" json:"optional,omitempty"`
	Bulk               int               `yaml:"bulk,omitempty" json:"bulk,omitempty"`
	Timeout            *Duration         `yaml:"timeout,omitempty" json:"timeout,omitempty"`
	InsecureSkipVerify bool              `yaml:"insecure_skip_verify,omitempty" json:"insecure_skip_verify,omitempty"`
	Headers            map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	// IPHeader is the header (e.g. X-Forwarded-For) that carries each
	// visit's IP when no token_auth allows cip.
	IPHeader string    `yaml:"ip_header,omitempty" json:"ip_header,omitempty"`
	Features *Features `yaml:"features,omitempty" json:"features,omitempty"`
	// Delivery is at_most_once (default) or at_least_once: whether a
	// request that may have reached Matomo is ever sent again
	// (docs/delivery.md).
	Delivery string `yaml:"delivery,omitempty" json:"delivery,omitempty"`
}

// Traffic describes what one visit looks like.
type Traffic struct {
	URLs          *URLSource     `yaml:"urls,omitempty" json:"urls,omitempty"`
	Pageviews     *IntRange      `yaml:"pageviews,omitempty" json:"pageviews,omitempty"`
	Pause         *DurationRange `yaml:"pause,omitempty" json:"pause,omitempty"`
	VisitDuration *DurationRange `yaml:"visit_duration,omitempty" json:"visit_duration,omitempty"`
	Sources       *Sources       `yaml:"sources,omitempty" json:"sources,omitempty"`
	Features      *Features      `yaml:"features,omitempty" json:"features,omitempty"`
	Funnels       []Funnel       `yaml:"funnels,omitempty" json:"funnels,omitempty"`
	// Returning is the share of visits made by earlier visitors of the
	// same run (docs/visits.md#returning-visitors).
	Returning *float64 `yaml:"returning,omitempty" json:"returning,omitempty"`
}

// URLSource is "builtin", {file: PATH} or {list: [URL, ...]}.
type URLSource struct {
	Builtin bool     `yaml:"-" json:"builtin,omitempty"`
	File    string   `yaml:"file,omitempty" json:"file,omitempty"`
	List    []string `yaml:"list,omitempty" json:"list,omitempty"`
	Pos     diag.Pos `yaml:"-" json:"-"`
}

// Sources is the referrer mix of visits; the shares add up to at most 1.
// Pointers tell an omitted share from an explicit 0.
type Sources struct {
	Direct   *float64 `yaml:"direct,omitempty" json:"direct,omitempty"`
	Search   *float64 `yaml:"search,omitempty" json:"search,omitempty"`
	Social   *float64 `yaml:"social,omitempty" json:"social,omitempty"`
	Referral *float64 `yaml:"referral,omitempty" json:"referral,omitempty"`
	// Campaign visits land with mtm_campaign and mtm_kwd in their URL.
	Campaign *float64 `yaml:"campaign,omitempty" json:"campaign,omitempty"`
}

// Features are the optional actions of a visit. In traffic.features they set
// the defaults; in a target's features they override them: false turns a
// feature off and an object overrides its settings.
type Features struct {
	SiteSearch   *Feature          `yaml:"site_search,omitempty" json:"site_search,omitempty"`
	Outlinks     *Feature          `yaml:"outlinks,omitempty" json:"outlinks,omitempty"`
	Downloads    *Feature          `yaml:"downloads,omitempty" json:"downloads,omitempty"`
	ClickEvents  *Feature          `yaml:"click_events,omitempty" json:"click_events,omitempty"`
	RandomEvents *Feature          `yaml:"random_events,omitempty" json:"random_events,omitempty"`
	Ecommerce    *EcommerceFeature `yaml:"ecommerce,omitempty" json:"ecommerce,omitempty"`
	Geo          *GeoFeature       `yaml:"geo,omitempty" json:"geo,omitempty"`
}

// Feature is a per-visit action with a probability. Written as true, false
// or {probability: P}.
type Feature struct {
	Enabled     *bool    `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	Probability *float64 `yaml:"probability,omitempty" json:"probability,omitempty"`
	Pos         diag.Pos `yaml:"-" json:"-"`
}

// EcommerceFeature places an order on the last page of some visits.
type EcommerceFeature struct {
	Enabled     *bool       `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	Probability *float64    `yaml:"probability,omitempty" json:"probability,omitempty"`
	Currency    string      `yaml:"currency,omitempty" json:"currency,omitempty"`
	OrderValue  *FloatRange `yaml:"order_value,omitempty" json:"order_value,omitempty"`
	Items       *IntRange   `yaml:"items,omitempty" json:"items,omitempty"`
	TaxRate     *float64    `yaml:"tax_rate,omitempty" json:"tax_rate,omitempty"`
	Shipping    []float64   `yaml:"shipping,omitempty" json:"shipping,omitempty"`
	Pos         diag.Pos    `yaml:"-" json:"-"`
}

// GeoFeature sends visitor countries through cip (needs token_auth). Written
// as true, false or {countries: {US: 0.35, ...}}.
type GeoFeature struct {
	Enabled   *bool              `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	Countries map[string]float64 `yaml:"countries,omitempty" json:"countries,omitempty"`
	Pos       diag.Pos           `yaml:"-" json:"-"`
}

// Funnel is a scripted journey that some visits follow.
type Funnel struct {
	Name                string       `yaml:"name" json:"name"`
	Description         string       `yaml:"description,omitempty" json:"description,omitempty"`
	Probability         float64      `yaml:"probability" json:"probability"`
	Priority            int          `yaml:"priority,omitempty" json:"priority,omitempty"`
	Enabled             *bool        `yaml:"enabled,omitempty" json:"enabled,omitempty"`
	ExitAfterCompletion *bool        `yaml:"exit_after_completion,omitempty" json:"exit_after_completion,omitempty"`
	Steps               []FunnelStep `yaml:"steps" json:"steps"`
	// EndDelay is the simulated time after the last step: before the
	// visit's ping, or before the browsing that follows when the visit
	// does not exit after completion. A step's delay is the time before it.
	EndDelay *DurationRange `yaml:"end_delay,omitempty" json:"end_delay,omitempty"`
}

// FunnelStep is one step of a funnel. Which fields apply depends on Type:
// pageview (url, action_name), event (category, action, name, value),
// site_search (keyword, search_category, results), outlink and download
// (target), ecommerce (order_value, items, revenue overrides).
type FunnelStep struct {
	Type           string         `yaml:"type" json:"type"`
	URL            string         `yaml:"url,omitempty" json:"url,omitempty"`
	ActionName     string         `yaml:"action_name,omitempty" json:"action_name,omitempty"`
	Delay          *DurationRange `yaml:"delay,omitempty" json:"delay,omitempty"`
	Category       string         `yaml:"category,omitempty" json:"category,omitempty"`
	Action         string         `yaml:"action,omitempty" json:"action,omitempty"`
	Name           string         `yaml:"name,omitempty" json:"name,omitempty"`
	Value          *float64       `yaml:"value,omitempty" json:"value,omitempty"`
	Keyword        string         `yaml:"keyword,omitempty" json:"keyword,omitempty"`
	SearchCategory string         `yaml:"search_category,omitempty" json:"search_category,omitempty"`
	Results        *int           `yaml:"results,omitempty" json:"results,omitempty"`
	Target         string         `yaml:"target,omitempty" json:"target,omitempty"`
	OrderValue     *FloatRange    `yaml:"order_value,omitempty" json:"order_value,omitempty"`
	Items          *IntRange      `yaml:"items,omitempty" json:"items,omitempty"`
	Pos            diag.Pos       `yaml:"-" json:"-"`
}

// Policy is a failure policy: when When holds (for For), Action happens.
type Policy struct {
	Name    string    `yaml:"name" json:"name"`
	Scope   string    `yaml:"scope,omitempty" json:"scope,omitempty"` // run (default) | target
	Targets []string  `yaml:"targets,omitempty" json:"targets,omitempty"`
	When    string    `yaml:"when" json:"when"`
	For     *Duration `yaml:"for,omitempty" json:"for,omitempty"`
	Action  string    `yaml:"action" json:"action"` // warn | fail | abort | disable_target
	Pos     diag.Pos  `yaml:"-" json:"-"`
}
