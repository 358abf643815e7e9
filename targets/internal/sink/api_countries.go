package sink

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

// UserCountry.getCountry, and the country codes and names of the table.

type countryRow struct {
	Label      string `json:"label"`
	Visits     int64  `json:"nb_visits"`
	Code       string `json:"code"`
	Logo       string `json:"logo"`
	Segment    string `json:"segment"`
	LogoHeight int    `json:"logoHeight"`
}

func (s *Sink) apiCountries(q apiQuery) any {
	d, e := s.report(q)
	if e != nil {
		return e
	}
	rows := make([]countryRow, 0, len(d.countries))
	for code, n := range d.countries {
		name := countryNames()[code]
		if name == "" {
			name = "Unknown"
		}
		rows = append(rows, countryRow{Label: name, Visits: n, Code: code,
			Logo: "plugins/Morpheus/icons/dist/flags/" + code + ".png", Segment: "countryCode==" + code, LogoHeight: 16})
	}
	slices.SortFunc(rows, func(a, b countryRow) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(a.Code, b.Code))
	})
	return limitRows(rows, q)
}

// unknownCountryCode is Matomo's code of an unknown country.
const unknownCountryCode = "xx"

// apiCountry is the Reporting API's code of a country of the table:
// lower case, "xx" when unknown. It does not allocate.
func apiCountry(code string) string {
	if c, ok := lowerCodes()[code]; ok {
		return c
	}
	return unknownCountryCode
}

var lowerCodes = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range matomodata.Countries() {
		m[c.Code] = strings.ToLower(c.Code)
	}
	return m
})

var countryNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, c := range matomodata.Countries() {
		m[strings.ToLower(c.Code)] = c.Name
	}
	return m
})
