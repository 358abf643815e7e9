package report

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// writeSent lists, per target, what Matomo answered it recorded in the
// terms of its reports (counters.sent), to compare with them; nothing when
// no visit was recorded.
func writeSent(w io.Writer, rows []Target) error {
	if len(rows) == 0 || rows[len(rows)-1].Counters.Sent.Visits == 0 {
		return nil
	}
	fmt.Fprintln(w)
	t := newTable(w)
	t.Header([]string{"recorded", "visits", "unique visitors", "visit time s", "orders", "revenue", "referrer types", "countries"})
	for _, x := range rows {
		s := x.Counters.Sent
		_ = t.Append([]string{x.Name, i64(s.Visits), i64(s.UniqueVisitors), i64(s.VisitDurationS), i64(s.Orders),
			centsText(s.RevenueCents), mixText(s.ReferrerTypes, 0), mixText(s.Countries, 5)})
	}
	return t.Render()
}

// centsText writes cents as an amount with two decimals.
func centsText(c int64) string {
	return strconv.FormatInt(c/100, 10) + "." + fmt.Sprintf("%02d", c%100)
}

// mixText lists counts largest first ("search 40 · direct 31"); limit > 0
// keeps that many and sums the rest as "other".
func mixText(m map[string]int64, limit int) string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b))
	})
	var parts []string
	other := int64(0)
	for i, k := range keys {
		if limit > 0 && i >= limit {
			other += m[k]
			continue
		}
		parts = append(parts, k+" "+i64(m[k]))
	}
	if other > 0 {
		parts = append(parts, "other "+i64(other))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}
