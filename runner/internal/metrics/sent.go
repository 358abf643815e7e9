package metrics

import (
	"maps"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Sent are the figures of what Matomo answered that it recorded, in the
// terms of its reports, so that a person can hold them against
// VisitsSummary, Referrers, UserCountry and Goals (docs/reports.md#what-matomo-should-show).
// Only hits answered ok count: a visit counts when at least one of its
// hits was recorded, an order when its own hit was. Unknown hits (sent,
// no answer known) do not count, so Matomo may show more, by at most what
// the unknown counter says. Every figure is a sum, so that reports of
// separate runs (report merge) add up exactly.
type Sent struct {
	// Visits recorded (VisitsSummary nb_visits).
	Visits int64 `json:"visits"`
	// UniqueVisitors is the recorded visits that were their visitor's first
	// of the run (nb_uniq_visitors over the run's period).
	UniqueVisitors int64 `json:"unique_visitors"`
	// VisitDurationS is the sum over recorded visits of the seconds between
	// their first and last recorded hit, by cdt (sum_visit_length).
	VisitDurationS int64 `json:"visit_duration_s"`
	// Orders and Items recorded (Goals ecommerceOrder nb_conversions, items).
	Orders int64 `json:"orders"`
	Items  int64 `json:"items"`
	// Revenue and its parts as sent, in cents of the target's currency
	// (revenue, revenue_subtotal, revenue_tax, revenue_shipping,
	// revenue_discount): integers, so that merged reports add exactly.
	RevenueCents  int64 `json:"revenue_cents"`
	SubtotalCents int64 `json:"subtotal_cents"`
	TaxCents      int64 `json:"tax_cents"`
	ShippingCents int64 `json:"shipping_cents"`
	DiscountCents int64 `json:"discount_cents"`
	// ReferrerTypes counts recorded visits by Matomo's referrer type
	// (Referrers.getReferrerType's segment referrerType==...): direct,
	// search, social, website, campaign.
	ReferrerTypes map[string]int64 `json:"referrer_types,omitempty"`
	// Countries counts recorded visits by the lower-case country code of
	// their cip (UserCountry.getCountry's code); visits sent without cip
	// are not counted here.
	Countries map[string]int64 `json:"countries,omitempty"`
	// Campaigns is the recorded visits that came from a campaign
	// (Referrers' "Campaigns" type).
	Campaigns int64 `json:"campaigns"`
}

// SentVisit is what one visit added to Sent, worked out by the executor
// when the visit ends. A value: recording it allocates nothing once the
// referrer type and country have been seen.
type SentVisit struct {
	// Recorded: at least one hit was answered ok (else nothing counts).
	Recorded bool
	// Counted: an earlier run of the same backfill recorded the visit
	// already (resume): its visit, visitor, referrer and country counted
	// there, and only its orders and the rest of its duration count here.
	Counted bool
	// NewVisitor: the visit is its visitor's first of the run.
	NewVisitor                                 bool
	ReferrerType                               string // direct, search, social, website or campaign
	Country                                    string // lower-case code; "" without cip
	DurationS                                  int64
	Orders                                     int64
	Items                                      int64
	Revenue, Subtotal, Tax, Shipping, Discount int64 // cents
	// For the expected figures by day (expected.go): Last is the cdt of
	// the visit's last recorded hit (of an earlier run's too, when
	// Counted), Visitor its _id as a number, Hits its hits answered ok
	// by kind.
	Last    int64
	Visitor uint64
	Hits    [kind.NumHitKinds]int32
	// Sample, when set, is the whole visit as sent, every hit answered
	// ok, offered to the sample under SampleKey.
	Sample    *kind.LiveVisit
	SampleKey uint64
}

// RecordSent adds what one visit got recorded.
func (r *Recorder) RecordSent(v SentVisit) {
	if !v.Recorded {
		return
	}
	r.mu.Lock()
	r.c.Sent.add(v)
	if r.exp != nil {
		r.exp.add(&v)
	}
	r.mu.Unlock()
}

func (s *Sent) add(v SentVisit) {
	if !v.Counted {
		s.Visits++
		if v.NewVisitor {
			s.UniqueVisitors++
		}
		if v.ReferrerType != "" {
			if s.ReferrerTypes == nil {
				s.ReferrerTypes = map[string]int64{}
			}
			s.ReferrerTypes[v.ReferrerType]++
			if v.ReferrerType == "campaign" {
				s.Campaigns++
			}
		}
		if v.Country != "" {
			if s.Countries == nil {
				s.Countries = map[string]int64{}
			}
			s.Countries[v.Country]++
		}
	}
	s.VisitDurationS += v.DurationS
	s.Orders += v.Orders
	s.Items += v.Items
	s.RevenueCents += v.Revenue
	s.SubtotalCents += v.Subtotal
	s.TaxCents += v.Tax
	s.ShippingCents += v.Shipping
	s.DiscountCents += v.Discount
}

// Add adds o into s.
func (s *Sent) Add(o Sent) {
	s.Visits += o.Visits
	s.UniqueVisitors += o.UniqueVisitors
	s.VisitDurationS += o.VisitDurationS
	s.Orders += o.Orders
	s.Items += o.Items
	s.RevenueCents += o.RevenueCents
	s.SubtotalCents += o.SubtotalCents
	s.TaxCents += o.TaxCents
	s.ShippingCents += o.ShippingCents
	s.DiscountCents += o.DiscountCents
	s.ReferrerTypes = addMaps(s.ReferrerTypes, o.ReferrerTypes)
	s.Countries = addMaps(s.Countries, o.Countries)
	s.Campaigns += o.Campaigns
}

// clone returns a deep copy.
func (s Sent) clone() Sent {
	s.ReferrerTypes = maps.Clone(s.ReferrerTypes)
	s.Countries = maps.Clone(s.Countries)
	return s
}
