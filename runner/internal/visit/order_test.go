package visit

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

// TestOrderIDsNeverRepeat makes 1,000,000 orders of one run and 1,000 of a
// second run with the same seed: no ec_id repeats, and every order adds
// up.
func TestOrderIDsNeverRepeat(t *testing.T) {
	e := defaultConfig().Ecommerce
	const n = 1000000
	ids := make([]string, 0, n+1000)
	for i := range uint64(n) {
		o := newOrder(e, "run1", i, newRand(42, i))
		checkTotals(t, e, o)
		ids = append(ids, o.ID)
	}
	for i := range uint64(1000) {
		ids = append(ids, newOrder(e, "run2", i, newRand(42, i)).ID)
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("ec_id %q repeats", ids[i])
		}
	}
	if got := OrderID("20250301T120000-ab12", 35); got != "20250301T120000-ab12-z" {
		t.Errorf("OrderID = %q", got)
	}
}

func TestOrderModel(t *testing.T) {
	for _, c := range []struct {
		name string
		e    Ecommerce
	}{
		{"defaults", *defaultConfig().Ecommerce},
		{"three to five items", Ecommerce{Currency: "SEK", OrderMin: 50, OrderMax: 150, ItemsMin: 3, ItemsMax: 5, TaxRate: 0.25, Shipping: []float64{0, 49}}},
		{"many items", Ecommerce{Currency: "EUR", OrderMin: 100, OrderMax: 5000, ItemsMin: 8, ItemsMax: 20, TaxRate: 0.2, Shipping: []float64{4.9}}},
		{"a five-cent range", Ecommerce{Currency: "EUR", OrderMin: 20, OrderMax: 20.05, ItemsMin: 1, ItemsMax: 1, TaxRate: 0, Shipping: []float64{0}}},
		{"shipping above the range", Ecommerce{Currency: "USD", OrderMin: 10, OrderMax: 12, ItemsMin: 1, ItemsMax: 2, TaxRate: 0.1, Shipping: []float64{25, 0}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			counts := map[int]int{}
			const n = 20000
			for i := range uint64(n) {
				o := newOrder(&c.e, "r", i, newRand(7, i))
				checkTotals(t, &c.e, o)
				counts[len(o.Items)]++
			}
			// The legacy skew, applied above the minimum: P(min) = 0.92 / Σ shape.
			total := 0.0
			for j := 0; j <= c.e.ItemsMax-c.e.ItemsMin; j++ {
				total += itemShape[min(j, len(itemShape)-1)]
			}
			p := 0.92 / total
			se := math.Sqrt(p * (1 - p) / n)
			if got := float64(counts[c.e.ItemsMin]) / n; c.e.ItemsMin < c.e.ItemsMax && math.Abs(got-p) > 3*se {
				t.Errorf("%.4f of orders have %d items, want %.4f ± %.4f", got, c.e.ItemsMin, p, 3*se)
			}
		})
	}
}

// TestOrderImpossibleRange: a range no order can meet still gives positive
// prices and consistent totals.
func TestOrderImpossibleRange(t *testing.T) {
	e := &Ecommerce{Currency: "USD", OrderMin: 0.01, OrderMax: 0.02, ItemsMin: 5, ItemsMax: 5, TaxRate: 0.5, Shipping: []float64{3}}
	for i := range uint64(1000) {
		o := newOrder(e, "r", i, newRand(1, i))
		sum := int64(0)
		for _, it := range o.Items {
			if it.Price < 1 {
				t.Fatalf("price %d", it.Price)
			}
			sum += it.Price * int64(it.Quantity)
		}
		if sum != o.Subtotal || o.Revenue != o.Subtotal+o.Tax+o.Shipping || o.Shipping != 300 {
			t.Fatalf("order %+v", o)
		}
	}
}

func TestFormatCents(t *testing.T) {
	for c, want := range map[int64]string{0: "0.00", 5: "0.05", 10: "0.10", 1999: "19.99", 123456789: "1234567.89", -250: "-2.50"} {
		if got := formatCents(c); got != want || (c >= 0 && got != strconv.FormatFloat(float64(c)/100, 'f', 2, 64)) {
			t.Errorf("formatCents(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestItemsJSONEscapes(t *testing.T) {
	o := &OrderInfo{Items: []Item{
		{SKU: "TABLET-001", Name: `Pro Tablet 11"`, Category: "Electronics", Price: 59999, Quantity: 1},
		{SKU: `A\B`, Name: "tab\there", Category: "Home & Garden", Price: 5, Quantity: 3},
	}}
	want := `[["TABLET-001","Pro Tablet 11\"","Electronics",599.99,1],["A\\B","tab\u0009here","Home & Garden",0.05,3]]`
	if got := o.itemsJSON(); got != want {
		t.Errorf("itemsJSON = %s\nwant %s", got, want)
	}
}
