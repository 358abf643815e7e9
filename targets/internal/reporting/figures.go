package reporting

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Version asks API.getMatomoVersion: the version of the server, and a
// cheap check that the token is accepted.
func (c *Client) Version(ctx context.Context) (string, error) {
	return decode(ctx, c, "API.getMatomoVersion", nil, parseVersion)
}

// Site asks SitesManager.getSiteFromId: the site's timezone, currency and
// whether it is an ecommerce site.
func (c *Client) Site(ctx context.Context) (kind.SiteInfo, error) {
	return decode(ctx, c, "SitesManager.getSiteFromId", params{{"idSite", strconv.Itoa(c.site)}}, parseSite)
}

// Day reads the figures of one day (YYYY-MM-DD, in the site's timezone)
// from six reports: VisitsSummary.get, Actions.get, Events.getCategory,
// Goals.get (idGoal=ecommerceOrder), Referrers.getReferrerType and
// UserCountry.getCountry. Each is an archive: the first read after an
// invalidation rebuilds it (when browser archiving is on).
func (c *Client) Day(ctx context.Context, date string) (kind.Figures, error) {
	var f kind.Figures
	if err := checkDate(date); err != nil {
		return f, err
	}
	day := c.siteDay(date)
	steps := []struct {
		method string
		p      params
		parse  func([]byte, *kind.Figures) error
	}{
		{"VisitsSummary.get", day, parseVisitsSummary},
		{"Actions.get", day, parseActions},
		{"Events.getCategory", slices.Concat(day, params{{"flat", "1"}, {"filter_limit", "-1"}}), parseEvents},
		{"Goals.get", slices.Concat(day, params{{"idGoal", "ecommerceOrder"}}), parseGoals},
		{"Referrers.getReferrerType", day, parseReferrerTypes},
		{"UserCountry.getCountry", slices.Concat(day, params{{"filter_limit", "-1"}}), parseCountries},
	}
	for _, s := range steps {
		if _, err := decode(ctx, c, s.method, s.p, func(b []byte) (struct{}, error) { return struct{}{}, s.parse(b, &f) }); err != nil {
			return kind.Figures{}, err
		}
	}
	return f, nil
}

// Counters asks Live.getCounters: the visits whose last action was in
// the last lastMinutes minutes, from the raw log without archiving.
func (c *Client) Counters(ctx context.Context, lastMinutes int) (kind.LiveCounters, error) {
	if lastMinutes <= 0 {
		return kind.LiveCounters{}, fmt.Errorf("reporting: lastMinutes %d is not positive", lastMinutes)
	}
	return decode(ctx, c, "Live.getCounters",
		params{{"idSite", strconv.Itoa(c.site)}, {"lastMinutes", strconv.Itoa(lastMinutes)}}, parseCounters)
}

// Invalidate asks CoreAdminHome.invalidateArchivedReports to drop the
// archives of the given days, so that the next read rebuilds them from
// the raw data. It needs write (or admin) access to the site.
func (c *Client) Invalidate(ctx context.Context, dates []string) error {
	if len(dates) == 0 {
		return nil
	}
	for _, d := range dates {
		if err := checkDate(d); err != nil {
			return err
		}
	}
	const method = "CoreAdminHome.invalidateArchivedReports"
	body, err := c.call(ctx, method, params{{"idSites", strconv.Itoa(c.site)}, {"dates", strings.Join(dates, ",")}, {"period", "day"}})
	if err != nil {
		return err
	}
	if err := InvalidateAnswer(body); err != nil {
		var ie *InvalidateError
		if errors.As(err, &ie) && ie.Refused != "" {
			return c.newError(kindOf(ie.Refused), 200, method, ie.Refused, nil)
		}
		return c.newError(KindDecode, 200, method, err.Error(), nil)
	}
	return nil
}

// checkDate accepts the dates this client sends: YYYY-MM-DD, today and
// yesterday (Matomo's own words, in the site's timezone).
func checkDate(d string) error {
	if d == "today" || d == "yesterday" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return fmt.Errorf("reporting: date %q is not YYYY-MM-DD", shorten(d))
	}
	return nil
}
