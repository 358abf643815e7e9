package verify

import (
	"maps"
	"slices"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Figure names, as rows and policies call them.
const (
	FigVisits  = "visits"
	FigActions = "actions"
	FigOrders  = "orders"
	FigRevenue = "revenue_cents"
)

// scalars lists the figures compared one to one, in the order rows show.
func scalars(f *kind.Figures) []struct {
	name  string
	value int64
} {
	return []struct {
		name  string
		value int64
	}{
		{FigVisits, f.Visits}, {"unique_visitors", f.UniqueVisitors}, {FigActions, f.Actions},
		{"pageviews", f.Pageviews}, {"searches", f.Searches}, {"outlinks", f.Outlinks},
		{"downloads", f.Downloads}, {"events", f.Events}, {FigOrders, f.Orders},
		{FigRevenue, f.RevenueCents}, {"subtotal_cents", f.SubtotalCents},
		{"tax_cents", f.TaxCents}, {"shipping_cents", f.ShippingCents},
	}
}

// compareFigures returns the rows of one day (day "" for a total): every
// scalar figure, then the referrer-type and country mixes key by key
// (referrer_types.search, countries.fr), over the keys either side has.
// Countries are compared only when the run sent some (geo): without cip,
// Matomo guesses a country from the browser language, or records "xx",
// which the run cannot know.
func compareFigures(day string, expected, recorded kind.Figures) []report.VerifyRow {
	var rows []report.VerifyRow
	rec := scalars(&recorded)
	for i, e := range scalars(&expected) {
		rows = append(rows, row(e.name, day, e.value, rec[i].value))
	}
	rows = append(rows, mixRows("referrer_types.", day, expected.ReferrerTypes, recorded.ReferrerTypes)...)
	if len(expected.Countries) == 0 {
		return rows
	}
	return append(rows, mixRows("countries.", day, expected.Countries, recorded.Countries)...)
}

func mixRows(prefix, day string, expected, recorded map[string]int64) []report.VerifyRow {
	keys := map[string]bool{}
	for k, v := range expected {
		keys[k] = keys[k] || v != 0
	}
	for k, v := range recorded {
		keys[k] = keys[k] || v != 0
	}
	var rows []report.VerifyRow
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if keys[k] {
			rows = append(rows, row(prefix+k, day, expected[k], recorded[k]))
		}
	}
	return rows
}

func row(figure, day string, expected, recorded int64) report.VerifyRow {
	return report.VerifyRow{Figure: figure, Day: day, Expected: expected, Recorded: recorded,
		Ratio: report.RatioOf(expected, recorded)}
}

// allMatch says every row matches.
func allMatch(rows []report.VerifyRow) bool {
	for _, r := range rows {
		if !r.Matches() {
			return false
		}
	}
	return true
}
