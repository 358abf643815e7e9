package kind

// The figures of delivery verification (docs/verify.md): what a run expects
// Matomo to have recorded and what Matomo's Reporting API says it recorded,
// in one shape, so that they compare field by field.

// Figures are the totals of one site over one period (a day in the site's
// timezone), in the terms of Matomo's reports.
type Figures struct {
	Visits         int64 `json:"visits"`          // VisitsSummary.get nb_visits
	UniqueVisitors int64 `json:"unique_visitors"` // VisitsSummary.get nb_uniq_visitors
	Actions        int64 `json:"actions"`         // VisitsSummary.get nb_actions
	Pageviews      int64 `json:"pageviews"`       // Actions.get nb_pageviews
	Searches       int64 `json:"searches"`        // Actions.get nb_searches
	Outlinks       int64 `json:"outlinks"`        // Actions.get nb_outlinks
	Downloads      int64 `json:"downloads"`       // Actions.get nb_downloads
	Events         int64 `json:"events"`          // Events.getCategory nb_events, summed over the rows
	Orders         int64 `json:"orders"`          // Goals.get idGoal=ecommerceOrder nb_conversions
	// Money in cents of the site's currency, rounded half away from zero,
	// so that figures compare exactly (Matomo answers 3060.8299999999995).
	RevenueCents  int64 `json:"revenue_cents"`  // revenue
	SubtotalCents int64 `json:"subtotal_cents"` // revenue_subtotal
	TaxCents      int64 `json:"tax_cents"`      // revenue_tax
	ShippingCents int64 `json:"shipping_cents"` // revenue_shipping
	// ReferrerTypes counts visits by Matomo's referrer type, named by the
	// segment of Referrers.getReferrerType: direct, search, social, website,
	// campaign.
	ReferrerTypes map[string]int64 `json:"referrer_types,omitempty"`
	// Countries counts visits by lower-case country code
	// (UserCountry.getCountry's code; "xx" is Matomo's unknown).
	Countries map[string]int64 `json:"countries,omitempty"`
}

// Add adds o into f.
func (f *Figures) Add(o Figures) {
	f.Visits += o.Visits
	f.UniqueVisitors += o.UniqueVisitors
	f.Actions += o.Actions
	f.Pageviews += o.Pageviews
	f.Searches += o.Searches
	f.Outlinks += o.Outlinks
	f.Downloads += o.Downloads
	f.Events += o.Events
	f.Orders += o.Orders
	f.RevenueCents += o.RevenueCents
	f.SubtotalCents += o.SubtotalCents
	f.TaxCents += o.TaxCents
	f.ShippingCents += o.ShippingCents
	f.ReferrerTypes = addCounts(f.ReferrerTypes, o.ReferrerTypes)
	f.Countries = addCounts(f.Countries, o.Countries)
}

// Sub subtracts a baseline b from f: what happened between the two reads.
func (f *Figures) Sub(b Figures) {
	neg := func(m map[string]int64) map[string]int64 {
		out := make(map[string]int64, len(m))
		for k, v := range m {
			out[k] = -v
		}
		return out
	}
	b.Visits, b.UniqueVisitors, b.Actions = -b.Visits, -b.UniqueVisitors, -b.Actions
	b.Pageviews, b.Searches, b.Outlinks, b.Downloads, b.Events = -b.Pageviews, -b.Searches, -b.Outlinks, -b.Downloads, -b.Events
	b.Orders, b.RevenueCents, b.SubtotalCents, b.TaxCents, b.ShippingCents = -b.Orders, -b.RevenueCents, -b.SubtotalCents, -b.TaxCents, -b.ShippingCents
	b.ReferrerTypes, b.Countries = neg(b.ReferrerTypes), neg(b.Countries)
	f.Add(b)
}

func addCounts(a, b map[string]int64) map[string]int64 {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = make(map[string]int64, len(b))
	}
	for k, v := range b {
		a[k] += v
	}
	return a
}

// Live action types, as Live.getLastVisitsDetails names them in
// actionDetails[].type.
const (
	LivePageview = "action"
	LiveSearch   = "search"
	LiveOutlink  = "outlink"
	LiveDownload = "download"
	LiveEvent    = "event"
	LiveOrder    = "ecommerceOrder"
)

// LiveVisit is one visit with its actions in order: as a run sent it (a
// sampled visit of the report) or as Live.getLastVisitsDetails answers it.
type LiveVisit struct {
	// VisitorID is the 16 hex digits of _id (Live's visitorId).
	VisitorID string `json:"visitor_id"`
	// First and Last are the unix times of its first and last action
	// (Live's firstActionTimestamp and lastActionTimestamp).
	First int64 `json:"first"`
	Last  int64 `json:"last"`
	// Actions in the order of their time; pings are not actions.
	Actions []LiveAction `json:"actions"`
}

// LiveAction is one entry of Live's actionDetails, reduced to what a run
// can compare.
type LiveAction struct {
	Type          string `json:"type"`                     // one of the Live* constants
	URL           string `json:"url,omitempty"`            // the page, link or file URL; the page of an event
	Keyword       string `json:"keyword,omitempty"`        // site search keyword (siteSearchKeyword)
	EventCategory string `json:"event_category,omitempty"` // eventCategory
	EventAction   string `json:"event_action,omitempty"`   // eventAction
	OrderID       string `json:"order_id,omitempty"`       // orderId
	RevenueCents  int64  `json:"revenue_cents,omitempty"`  // revenue of an order
	Timestamp     int64  `json:"timestamp"`                // unix time of the action
}

// SiteInfo is what SitesManager.getSiteFromId says of a site.
type SiteInfo struct {
	ID        int    `json:"id"`
	Name      string `json:"name"`
	Timezone  string `json:"timezone"`
	Currency  string `json:"currency"`
	Ecommerce bool   `json:"ecommerce"`
}

// LiveCounters is Live.getCounters' answer: the visits of the last
// minutes by the time of their last action, read without archiving.
type LiveCounters struct {
	Visits   int64 `json:"visits"`
	Actions  int64 `json:"actions"`
	Visitors int64 `json:"visitors"`
}

// ReportingAPI is implemented by an opened target whose server answers
// Matomo's Reporting API: matomo (its api_url, else index.php beside its
// tracking URL) and sink (the built-in sink serves index.php itself).
// Verification asks it what was recorded.
type ReportingAPI interface {
	// ReportingURL is the index.php URL of the Reporting API, without
	// token_auth.
	ReportingURL() string
}
