package reporting

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// visitorIDRe is Matomo's visitorId: 16 hex digits. Checking it keeps a
// caller's value from extending the segment expression.
var visitorIDRe = regexp.MustCompile(`^[0-9a-fA-F]{16}$`)

// Visits asks Live.getLastVisitsDetails for the visits of one visitor
// between two days (YYYY-MM-DD, the site's timezone, both included),
// sorted by the time of their first action, each with its actions reduced
// to what a run can compare (kind.LiveAction), in Matomo's order. Actions
// of other types (goal conversions, abandoned carts, ...) are dropped.
func (c *Client) Visits(ctx context.Context, visitorID, from, to string) ([]kind.LiveVisit, error) {
	if !visitorIDRe.MatchString(visitorID) {
		return nil, fmt.Errorf("reporting: visitor id %q is not 16 hex digits", shorten(visitorID))
	}
	for _, d := range []string{from, to} {
		if err := checkDate(d); err != nil {
			return nil, err
		}
	}
	return decode(ctx, c, "Live.getLastVisitsDetails", params{
		{"idSite", strconv.Itoa(c.site)}, {"period", "range"}, {"date", from + "," + to},
		{"segment", "visitorId==" + visitorID}, {"filter_limit", "-1"},
	}, parseVisits)
}

// HasRawVisits tells whether the raw log holds a visit of the day: with
// an archive that answers 0 visits, it tells "not archived" (raw visits
// there) from "no traffic". It asks for one visit without its actions.
func (c *Client) HasRawVisits(ctx context.Context, date string) (bool, error) {
	if err := checkDate(date); err != nil {
		return false, err
	}
	p := slices.Concat(c.siteDay(date), params{{"filter_limit", "1"}, {"doNotFetchActions", "1"}})
	visits, err := decode(ctx, c, "Live.getLastVisitsDetails", p, parseVisits)
	return len(visits) > 0, err
}

// liveTypes are the action types a run sends, by Live's names.
var liveTypes = map[string]bool{
	kind.LivePageview: true, kind.LiveSearch: true, kind.LiveOutlink: true,
	kind.LiveDownload: true, kind.LiveEvent: true, kind.LiveOrder: true,
}

func parseVisits(body []byte) ([]kind.LiveVisit, error) {
	rows, err := decodeRows[struct {
		VisitorID string `json:"visitorId"`
		First     number `json:"firstActionTimestamp"`
		Last      number `json:"lastActionTimestamp"`
		Actions   []struct {
			Type          string `json:"type"`
			URL           text   `json:"url"`
			Keyword       text   `json:"siteSearchKeyword"`
			EventCategory text   `json:"eventCategory"`
			EventAction   text   `json:"eventAction"`
			OrderID       text   `json:"orderId"`
			Revenue       number `json:"revenue"`
			Timestamp     number `json:"timestamp"`
		} `json:"actionDetails"`
	}](body)
	if err != nil {
		return nil, err
	}
	visits := make([]kind.LiveVisit, 0, len(rows))
	for _, r := range rows {
		v := kind.LiveVisit{VisitorID: r.VisitorID, First: r.First.count(), Last: r.Last.count(), Actions: []kind.LiveAction{}}
		for _, a := range r.Actions {
			if !liveTypes[a.Type] {
				continue
			}
			la := kind.LiveAction{Type: a.Type, URL: string(a.URL), Keyword: string(a.Keyword),
				EventCategory: string(a.EventCategory), EventAction: string(a.EventAction),
				OrderID: string(a.OrderID), Timestamp: a.Timestamp.count()}
			if a.Type == kind.LiveOrder {
				la.RevenueCents = a.Revenue.cents()
			}
			v.Actions = append(v.Actions, la)
		}
		visits = append(visits, v)
	}
	slices.SortStableFunc(visits, func(a, b kind.LiveVisit) int {
		if a.First != b.First {
			return cmp.Compare(a.First, b.First)
		}
		return cmp.Compare(a.Last, b.Last)
	})
	return visits, nil
}
