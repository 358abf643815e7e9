package reporting

import (
	"errors"
	"strings"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// The parsers of the answers, one per method: pure functions of the body,
// so that the golden and fuzz tests run them on Matomo's real answers.

func parseVersion(body []byte) (string, error) {
	var a struct {
		Value *string `json:"value"`
	}
	if err := decodeObject(body, &a); err != nil {
		return "", err
	}
	if a.Value == nil || *a.Value == "" {
		return "", errors.New(`no "value" in the answer`)
	}
	return *a.Value, nil
}

func parseSite(body []byte) (kind.SiteInfo, error) {
	var a struct {
		ID        number `json:"idsite"`
		Name      string `json:"name"`
		Timezone  string `json:"timezone"`
		Currency  string `json:"currency"`
		Ecommerce number `json:"ecommerce"`
	}
	if err := decodeObject(body, &a); err != nil {
		return kind.SiteInfo{}, err
	}
	if a.ID.count() <= 0 {
		return kind.SiteInfo{}, errors.New(`no "idsite" in the answer`)
	}
	return kind.SiteInfo{ID: int(a.ID.count()), Name: a.Name, Timezone: a.Timezone, Currency: a.Currency,
		Ecommerce: a.Ecommerce.count() != 0}, nil
}

func parseVisitsSummary(body []byte, f *kind.Figures) error {
	var a struct {
		Visits  number `json:"nb_visits"`
		Uniques number `json:"nb_uniq_visitors"`
		Actions number `json:"nb_actions"`
	}
	err := decodeObject(body, &a)
	f.Visits, f.UniqueVisitors, f.Actions = a.Visits.count(), a.Uniques.count(), a.Actions.count()
	return err
}

func parseActions(body []byte, f *kind.Figures) error {
	var a struct {
		Pageviews number `json:"nb_pageviews"`
		Searches  number `json:"nb_searches"`
		Outlinks  number `json:"nb_outlinks"`
		Downloads number `json:"nb_downloads"`
	}
	err := decodeObject(body, &a)
	f.Pageviews, f.Searches, f.Outlinks, f.Downloads = a.Pageviews.count(), a.Searches.count(), a.Outlinks.count(), a.Downloads.count()
	return err
}

func parseEvents(body []byte, f *kind.Figures) error {
	rows, err := decodeRows[struct {
		Events number `json:"nb_events"`
	}](body)
	f.Events = 0
	for _, r := range rows {
		f.Events += r.Events.count()
	}
	return err
}

func parseGoals(body []byte, f *kind.Figures) error {
	var a struct {
		Orders   number `json:"nb_conversions"`
		Revenue  number `json:"revenue"`
		Subtotal number `json:"revenue_subtotal"`
		Tax      number `json:"revenue_tax"`
		Shipping number `json:"revenue_shipping"`
	}
	err := decodeObject(body, &a)
	f.Orders, f.RevenueCents, f.SubtotalCents = a.Orders.count(), a.Revenue.cents(), a.Subtotal.cents()
	f.TaxCents, f.ShippingCents = a.Tax.cents(), a.Shipping.cents()
	return err
}

// referrerTypes names Matomo's referer_type numbers (Common::REFERRER_TYPE_*),
// for a row without a segment.
var referrerTypes = map[int64]string{1: "direct", 2: "search", 3: "website", 6: "campaign", 7: "social"}

func parseReferrerTypes(body []byte, f *kind.Figures) error {
	rows, err := decodeRows[struct {
		Visits  number `json:"nb_visits"`
		Segment string `json:"segment"`
		Type    number `json:"referrer_type"`
	}](body)
	f.ReferrerTypes = nil
	for _, r := range rows {
		name, ok := strings.CutPrefix(r.Segment, "referrerType==")
		if !ok || name == "" {
			if name, ok = referrerTypes[r.Type.count()]; !ok {
				name = "unknown"
			}
		}
		add(&f.ReferrerTypes, strings.ToLower(name), r.Visits.count())
	}
	return err
}

func parseCountries(body []byte, f *kind.Figures) error {
	rows, err := decodeRows[struct {
		Visits number `json:"nb_visits"`
		Code   string `json:"code"`
	}](body)
	f.Countries = nil
	for _, r := range rows {
		code := strings.ToLower(strings.TrimSpace(r.Code))
		if code == "" {
			code = "xx"
		}
		add(&f.Countries, code, r.Visits.count())
	}
	return err
}

func add(m *map[string]int64, k string, v int64) {
	if *m == nil {
		*m = map[string]int64{}
	}
	(*m)[k] += v
}

func parseCounters(body []byte) (kind.LiveCounters, error) {
	var a struct {
		Visits   number `json:"visits"`
		Actions  number `json:"actions"`
		Visitors number `json:"visitors"`
	}
	err := decodeObject(body, &a)
	return kind.LiveCounters{Visits: a.Visits.count(), Actions: a.Actions.count(), Visitors: a.Visitors.count()}, err
}
