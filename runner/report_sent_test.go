package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cents parses an amount the sink got ("12.34") into cents.
func cents(t *testing.T, s string) int64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return int64(f*100 + 0.5)
}

// TestReportSentMatchesTheSink runs a backfill with geo and orders against
// the sink and holds the report's sent figures against what the sink
// recorded (visits, durations by cdt, orders and their amounts) and what
// the visits were made of (referrer types and countries).
func TestReportSentMatchesTheSink(t *testing.T) {
	c := startCapture(t, "Europe/Stockholm")
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Window: "from: 2026-10-24, to: 2026-10-25", RPS: 500, Bulk: 7}) + "    geo: true\n"
	p := bfCompile(t, yaml, bfClock)
	rep := runBF(t, context.Background(), p, Options{RunID: "sent"})
	got := rep.Targets[0].Counters.Sent

	type span struct{ first, last time.Time }
	visits := map[string]*span{}
	var orders, items, revenue, subtotal, tax, shipping int64
	for _, h := range c.all() {
		at := cdtOf(t, h.params)
		id := h.params.Get("_id")
		s := visits[id]
		if s == nil {
			visits[id] = &span{at, at}
		} else {
			s.first, s.last = minTime(s.first, at), maxTime(s.last, at)
		}
		if h.params.Get("idgoal") == "0" {
			orders++
			revenue += cents(t, h.params.Get("revenue"))
			subtotal += cents(t, h.params.Get("ec_st"))
			tax += cents(t, h.params.Get("ec_tx"))
			shipping += cents(t, h.params.Get("ec_sh"))
			var lines [][]any // [sku, name, category, price, quantity]
			if err := json.Unmarshal([]byte(h.params.Get("ec_items")), &lines); err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				items += int64(l[4].(float64))
			}
		}
	}
	var duration int64
	for _, s := range visits {
		duration += int64(s.last.Sub(s.first) / time.Second)
	}
	refs, countries := map[string]int64{}, map[string]int64{}
	for _, pv := range regenerate(t, p, "sent", time.Now()) {
		refs[referrerType(pv.v.Source)]++
		if pv.v.IP.IsValid() {
			countries[strings.ToLower(pv.v.Country)]++
		}
	}
	if len(visits) == 0 || orders == 0 || len(countries) < 5 || len(refs) < 3 {
		t.Fatalf("the run does not exercise the figures: %d visits, %d orders, countries %v, referrers %v", len(visits), orders, countries, refs)
	}
	n := int64(len(visits))
	if got.Visits != n || got.UniqueVisitors != n || got.VisitDurationS != duration {
		t.Errorf("visits %d, unique %d, duration %d s; the sink got %d visits lasting %d s", got.Visits, got.UniqueVisitors, got.VisitDurationS, n, duration)
	}
	if got.Orders != orders || got.RevenueCents != revenue || got.SubtotalCents != subtotal || got.TaxCents != tax ||
		got.ShippingCents != shipping || got.DiscountCents != 0 {
		t.Errorf("orders %+v; the sink got %d orders, revenue %d = %d + %d + %d", got, orders, revenue, subtotal, tax, shipping)
	}
	if !reflect.DeepEqual(got.ReferrerTypes, refs) || !reflect.DeepEqual(got.Countries, countries) {
		t.Errorf("referrers %v countries %v, want %v %v", got.ReferrerTypes, got.Countries, refs, countries)
	}
	if got.Items != items {
		t.Errorf("%d items, the sink got %d", got.Items, items)
	}
	if tot := rep.Total.Counters.Sent; fmt.Sprint(tot) != fmt.Sprint(got) {
		t.Errorf("total %+v, want the one target's %+v", tot, got)
	}
}
