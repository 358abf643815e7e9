package sink

import (
	"strconv"
	"strings"
)

// SitesManager.getSiteFromId and CoreAdminHome.invalidateArchivedReports:
// what a client asks before and after reading a day's reports.

type siteInfo struct {
	ID           int    `json:"idsite"`
	Name         string `json:"name"`
	MainURL      string `json:"main_url"`
	Created      string `json:"ts_created"`
	Ecommerce    int    `json:"ecommerce"`
	SiteSearch   int    `json:"sitesearch"`
	Timezone     string `json:"timezone"`
	Currency     string `json:"currency"`
	Type         string `json:"type"`
	TimezoneName string `json:"timezone_name"`
	CurrencyName string `json:"currency_name"`
}

// apiSite answers SitesManager.getSiteFromId: every site of the sink has
// ecommerce and site search on, and its currency is USD.
func (s *Sink) apiSite(q apiQuery) any {
	si, e := s.siteFor(q, "idSite")
	if e != nil {
		return e
	}
	st := &s.sites[si]
	return siteInfo{ID: st.id, Name: "Site " + strconv.Itoa(st.id), MainURL: "https://example.test",
		Created: "2000-01-01 00:00:00", Ecommerce: 1, SiteSearch: 1, Timezone: st.tzName, Currency: "USD",
		Type: "website", TimezoneName: st.tzName, CurrencyName: "US Dollar"}
}

// apiInvalidate answers CoreAdminHome.invalidateArchivedReports as Matomo
// does, with an array of one string; the sink computes reports on request,
// so there is nothing to invalidate.
func (s *Sink) apiInvalidate(q apiQuery) any {
	for _, id := range strings.Split(q.get("idSites"), ",") {
		if _, e := s.siteFor(apiQuery{url: map[string][]string{"idSite": {id}, "token_auth": {q.get("token_auth")}}}, "idSite"); e != nil {
			return e
		}
	}
	dates := strings.Split(q.get("dates"), ",")
	for _, d := range dates {
		if _, e := dayOf(d, 0); e != nil || d == "today" || d == "yesterday" || d == "now" {
			return errorf("The date '%s' is not a valid date (YYYY-MM-DD).", d)
		}
	}
	return []string{"Success. The following dates were invalidated successfully: " + strings.Join(dates, ", ")}
}
