package sink

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The archived reports of the Reporting API, computed from the daily
// aggregates (daily.go) at each request: the sink has no archives to be
// stale, so invalidating them is a no-op that answers as Matomo does.

// report reads idSite, period and date and sums the site's days in the
// period over the shards.
func (s *Sink) report(q apiQuery) (*dayAgg, *apiError) {
	si, e := s.siteFor(q, "idSite")
	if e != nil {
		return nil, e
	}
	r, e := periodOf(q.get("period"), q.get("date"), s.now().Unix(), s.sites[si].loc)
	if e != nil {
		return nil, e
	}
	sum := &dayAgg{countries: map[string]int64{}, events: map[string]*evAgg{}}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for day, d := range sh.sites[si].days {
			if r.has(day) {
				sum.add(d)
			}
		}
		sh.mu.Unlock()
	}
	return sum, nil
}

func (d *dayAgg) add(o *dayAgg) {
	d.visits += o.visits
	d.uniq += o.uniq
	d.actions += o.actions
	for i := range d.kinds {
		d.kinds[i] += o.kinds[i]
	}
	d.bounces += o.bounces
	d.sumLength += o.sumLength
	d.maxActions = max(d.maxActions, o.maxActions) // a visit's count is its total, whichever shard saw it
	d.converted += o.converted
	d.orders += o.orders
	d.items += o.items
	d.revenue += o.revenue
	d.subtotal += o.subtotal
	d.tax += o.tax
	d.shipping += o.shipping
	d.discount += o.discount
	for i := range d.refVisits {
		d.refVisits[i] += o.refVisits[i]
		d.refActions[i] += o.refActions[i]
	}
	for c, n := range o.countries {
		d.countries[c] += n
	}
	for k, ev := range o.events {
		sum := d.events[k]
		if sum == nil {
			sum = &evAgg{}
			d.events[k] = sum
		}
		sum.events += ev.events
		sum.visits += ev.visits
	}
}

// ratio is a/b (0 when b is 0) rounded to the given decimals.
func ratio(a, b int64, decimals int) float64 {
	if b == 0 {
		return 0
	}
	p := math.Pow10(decimals)
	return math.Round(float64(a)/float64(b)*p) / p
}

func percent(a, b int64, decimals int) string {
	return strconv.FormatFloat(ratio(a*100, b, decimals), 'f', -1, 64) + "%"
}

func money(c int64) float64 { return float64(c) / 100 }

type visitsSummary struct {
	UniqVisitors    int64   `json:"nb_uniq_visitors"`
	Users           int64   `json:"nb_users"`
	Visits          int64   `json:"nb_visits"`
	Actions         int64   `json:"nb_actions"`
	Converted       int64   `json:"nb_visits_converted"`
	Bounces         int64   `json:"bounce_count"`
	SumVisitLength  int64   `json:"sum_visit_length"`
	MaxActions      int64   `json:"max_actions"`
	BounceRate      string  `json:"bounce_rate"`
	ActionsPerVisit float64 `json:"nb_actions_per_visit"`
	AvgTimeOnSite   int64   `json:"avg_time_on_site"`
}

func (s *Sink) apiVisitsSummary(q apiQuery) any {
	d, e := s.report(q)
	if e != nil {
		return e
	}
	return visitsSummary{
		UniqVisitors: d.uniq, Visits: d.visits, Actions: d.actions, Converted: d.converted,
		Bounces: d.bounces, SumVisitLength: d.sumLength, MaxActions: d.maxActions,
		BounceRate: percent(d.bounces, d.visits, 0), ActionsPerVisit: ratio(d.actions, d.visits, 1),
		AvgTimeOnSite: int64(ratio(d.sumLength, d.visits, 0)),
	}
}

type actionsReport struct {
	Pageviews int64 `json:"nb_pageviews"`
	Downloads int64 `json:"nb_downloads"`
	Outlinks  int64 `json:"nb_outlinks"`
	Searches  int64 `json:"nb_searches"`
}

func (s *Sink) apiActions(q apiQuery) any {
	d, e := s.report(q)
	if e != nil {
		return e
	}
	return actionsReport{
		Pageviews: d.kinds[kindPageview], Downloads: d.kinds[kindDownload],
		Outlinks: d.kinds[kindOutlink], Searches: d.kinds[kindSiteSearch],
	}
}

type goalsReport struct {
	Conversions     int64   `json:"nb_conversions"`
	VisitsConverted int64   `json:"nb_visits_converted"`
	Revenue         float64 `json:"revenue"`
	Subtotal        float64 `json:"revenue_subtotal"`
	Tax             float64 `json:"revenue_tax"`
	Shipping        float64 `json:"revenue_shipping"`
	Discount        float64 `json:"revenue_discount"`
	Items           int64   `json:"items"`
	AvgOrderRevenue float64 `json:"avg_order_revenue"`
	ConversionRate  string  `json:"conversion_rate"`
}

// apiGoals answers Goals.get for idGoal=ecommerceOrder, the only goal
// whose figures the sink keeps.
func (s *Sink) apiGoals(q apiQuery) any {
	if g := q.get("idGoal"); g != "ecommerceOrder" {
		return errorf("The trafficinator sink answers Goals.get only for idGoal=ecommerceOrder, not idGoal=%q.", g)
	}
	d, e := s.report(q)
	if e != nil {
		return e
	}
	return goalsReport{
		Conversions: d.orders, VisitsConverted: d.converted, Revenue: money(d.revenue),
		Subtotal: money(d.subtotal), Tax: money(d.tax), Shipping: money(d.shipping),
		Discount: money(d.discount), Items: d.items, AvgOrderRevenue: ratio(d.revenue, d.orders*100, 2),
		ConversionRate: percent(d.converted, d.visits, 2),
	}
}

type eventRow struct {
	Label        string `json:"label"`
	UniqVisitors int64  `json:"nb_uniq_visitors"`
	Visits       int64  `json:"nb_visits"`
	Events       int64  `json:"nb_events"`
	Category     string `json:"Events_EventCategory,omitempty"`
	Action       string `json:"Events_EventAction,omitempty"`
}

// apiEvents answers Events.getCategory: with flat=1 a row per category
// and action ("Category - Action"), else a row per category. Rows are
// sorted by visits, then events; filter_limit applies.
func (s *Sink) apiEvents(q apiQuery) any {
	d, e := s.report(q)
	if e != nil {
		return e
	}
	flat := q.get("flat") == "1"
	byLabel := map[string]*eventRow{}
	for k, ev := range d.events {
		cat, act, _ := strings.Cut(k, "\x00")
		label := cat
		if flat {
			label = cat + " - " + act
		}
		r := byLabel[label]
		if r == nil {
			r = &eventRow{Label: label}
			if flat {
				r.Category, r.Action = cat, act
			}
			byLabel[label] = r
		}
		r.Visits += ev.visits
		r.UniqVisitors += ev.visits
		r.Events += ev.events
	}
	rows := make([]eventRow, 0, len(byLabel))
	for _, r := range byLabel {
		rows = append(rows, *r)
	}
	slices.SortFunc(rows, func(a, b eventRow) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(b.Events, a.Events), cmp.Compare(a.Label, b.Label))
	})
	return limitRows(rows, q)
}

// refTypes are Matomo's referrer types of the sink's kinds: segment name,
// number and label of Referrers.getReferrerType.
var refTypes = [numRefKinds]struct {
	segment string
	number  int
	label   string
}{
	refDirect:   {"direct", 1, "Direct Entry"},
	refSearch:   {"search", 2, "Search Engines"},
	refSocial:   {"social", 7, "Social Networks"},
	refReferral: {"website", 3, "Websites"},
	refCampaign: {"campaign", 6, "Campaigns"},
}

type referrerRow struct {
	Label        string `json:"label"`
	Visits       int64  `json:"nb_visits"`
	Actions      int64  `json:"nb_actions"`
	Segment      string `json:"segment"`
	ReferrerType int    `json:"referrer_type"`
	Subtable     int    `json:"idsubdatatable,omitempty"`
}

func (s *Sink) apiReferrerTypes(q apiQuery) any {
	d, e := s.report(q)
	if e != nil {
		return e
	}
	rows := []referrerRow{}
	for k, t := range refTypes {
		if d.refVisits[k] == 0 {
			continue
		}
		r := referrerRow{Label: t.label, Visits: d.refVisits[k], Actions: d.refActions[k],
			Segment: "referrerType==" + t.segment, ReferrerType: t.number}
		if refKind(k) != refDirect {
			r.Subtable = t.number
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b referrerRow) int { return cmp.Compare(b.Visits, a.Visits) })
	return limitRows(rows, q)
}

// limitRows applies filter_limit: 100 by default, as in Matomo; -1 is all.
func limitRows[T any](rows []T, q apiQuery) []T {
	limit := 100
	if v := q.get("filter_limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			limit = n
		}
	}
	if limit >= 0 && limit < len(rows) {
		rows = rows[:limit]
	}
	return rows
}
