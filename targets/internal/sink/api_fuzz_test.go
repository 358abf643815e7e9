package sink

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzAPIQuery drives the Reporting API's query parsing (every parameter,
// periods, dates, segments, limits) over a sink with recorded visits: it
// must never panic, must answer JSON (or the HTML page of a bad token) and
// must never show the token.
func FuzzAPIQuery(f *testing.F) {
	const tok = "token_auth=" + fuzzToken
	for _, q := range []string{ // the requests of testdata/matomo-api/README.md, and more
		"module=API&format=JSON&method=API.getMatomoVersion&" + tok,
		"module=API&format=JSON&method=Live.getCounters&idSite=1&lastMinutes=60&" + tok,
		"module=API&format=JSON&method=CoreAdminHome.invalidateArchivedReports&idSites=1&dates=2024-06-01&period=day&" + tok,
		"module=API&format=JSON&method=VisitsSummary.get&idSite=1&period=day&date=2024-06-01&" + tok,
		"module=API&format=JSON&method=Actions.get&idSite=1&period=day&date=today&" + tok,
		"module=API&format=JSON&method=Goals.get&idSite=1&period=day&date=yesterday&idGoal=ecommerceOrder&" + tok,
		"module=API&format=JSON&method=Events.getCategory&idSite=1&period=day&date=2024-06-01&flat=1&filter_limit=3&" + tok,
		"module=API&format=JSON&method=Referrers.getReferrerType&idSite=1&period=week&date=2024-06-01&" + tok,
		"module=API&format=JSON&method=UserCountry.getCountry&idSite=1&period=month&date=2024-06-01&filter_limit=5&" + tok,
		"module=API&format=JSON&method=Live.getLastVisitsDetails&idSite=1&period=day&date=2024-06-01&filter_limit=1&" + tok,
		"module=API&format=JSON&method=Live.getLastVisitsDetails&idSite=1&period=range&date=2024-05-30,2024-06-01&segment=visitorId%3D%3Daaaaaaaaaaaaaaaa&filter_limit=-1&" + tok,
		"module=API&format=JSON&method=SitesManager.getSiteFromId&idSite=2",
		"module=API&method=VisitsSummary.get&idSite=1&period=range&date=last7&token_auth=wrong",
		"module=API&method=VisitsSummary.get&idSite=1&period=year&date=previous3&" + tok,
		"module=API&method=Live.getLastVisitsDetails&idSite=%31&date=2024-02-30&period=range",
		"module=API&method=Nope&idSite=-1&" + tok,
	} {
		f.Add(q)
	}
	s, err := New(Config{
		Sites:       []Site{{ID: 1, Tokens: []string{fuzzToken}}, {ID: 2, Timezone: "Asia/Tokyo"}},
		Now:         func() time.Time { return testNow },
		MergeVisits: 0.3,
	})
	if err != nil {
		f.Fatal(err)
	}
	for i, id := range []string{visitorA, visitorB, visitorA} {
		v := at(id, time.Duration(i+1)*20*time.Minute, "token_auth", fuzzToken, "e_c", "C", "e_a", "A")
		r := httptest.NewRequest(http.MethodGet, "/matomo.php?"+v.Encode(), nil)
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	f.Fuzz(func(t *testing.T, query string) {
		for _, post := range []bool{false, true} {
			var r *http.Request
			if post {
				r = httptest.NewRequest(http.MethodPost, "/index.php", strings.NewReader(query))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				r = httptest.NewRequest(http.MethodGet, "/index.php", nil)
				r.URL.RawQuery = query
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			body := w.Body.String()
			switch w.Code {
			case http.StatusOK, http.StatusBadRequest:
				if !json.Valid([]byte(body)) {
					t.Fatalf("%d answer is not JSON: %q", w.Code, body)
				}
			case http.StatusUnauthorized:
				if !strings.Contains(body, "<h2>Unable to authenticate") {
					t.Fatalf("401 without Matomo's page: %q", body)
				}
			default:
				t.Fatalf("status %d for %q", w.Code, query)
			}
			if strings.Contains(body, fuzzToken) {
				t.Fatalf("the answer shows the token: %q", body)
			}
		}
	})
}
