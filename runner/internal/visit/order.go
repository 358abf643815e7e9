package visit

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

// OrderInfo is an ecommerce order. Amounts are in cents, so that the
// totals add up exactly: Revenue = Subtotal + Tax + Shipping, with no
// discount.
type OrderInfo struct {
	ID       string
	Currency string
	Items    []Item
	Subtotal int64 // Σ price × quantity
	Tax      int64 // TaxRate × Subtotal, rounded to the cent; shipping is not taxed
	Shipping int64
	Revenue  int64
}

// Item is one line of an order.
type Item struct {
	SKU, Name, Category string
	Price               int64 // unit price in cents, > 0
	Quantity            int
}

// itemShape is the legacy skew of the item count: with the default 1..5
// items the legacy tool made 92 % of orders single-item, then 5, 2, 0.8 and
// 0.2 %. Here it applies above ItemsMin (min, min+1, ...) so that the range
// is always honoured (legacy defect 9 forced 1 item whatever the minimum);
// counts beyond min+4 weigh as much as min+4.
var itemShape = [...]float64{0.92, 0.05, 0.02, 0.008, 0.002}

// OrderID is the ec_id of the order of visit index in a run: the run id, a
// dash and the index in base 36. An index has at most one order and run
// ids are unique, so ids never repeat (legacy defect 10: 8 random hex
// digits collided within ~65k orders).
func OrderID(runID string, index uint64) string {
	return runID + "-" + strconv.FormatUint(index, 36)
}

// addOrder records o as the visit's next order. The first order of a visit
// keeps OrderID; a later one (a funnel visit can have several) gets
// OrderID + "." + its number from 2 on. After the last dash an OrderID
// has base-36 digits only, so these never equal an OrderID of any run, and
// run ids being unique they never repeat either.
func (v *Visit) addOrder(o *OrderInfo, runID string) {
	if len(v.Orders) > 0 {
		o.ID = OrderID(runID, v.Index) + "." + strconv.Itoa(len(v.Orders)+1)
	} else {
		v.Order = o
	}
	v.Orders = append(v.Orders, o)
}

// newOrder draws an order. Item prices are the catalogue price ±5 %, rounded
// to the cent; when the revenue falls outside [OrderMin, OrderMax] the
// prices are rescaled towards a revenue drawn uniformly in that range and
// then nudged by whole cents until it fits, which it does unless the range
// is narrower than what cents and quantities allow.
func newOrder(e *Ecommerce, runID string, index uint64, r *rand.Rand) *OrderInfo {
	o := &OrderInfo{ID: OrderID(runID, index), Currency: e.Currency}
	cats := catalog.Categories()
	n := itemCount(r, e.ItemsMin, e.ItemsMax)
	o.Items = make([]Item, n)
	for i := range o.Items {
		c := cats[r.IntN(len(cats))]
		p := c.Products[r.IntN(len(c.Products))]
		q := 1
		if r.Float64() >= 0.8 {
			q = 2 + r.IntN(2)
		}
		price := int64(math.Round(float64(p.Price) * (0.95 + 0.1*r.Float64())))
		o.Items[i] = Item{SKU: p.SKU, Name: p.Name, Category: p.Category, Price: max(price, 1), Quantity: q}
	}
	shipping := cents(e.Shipping)
	o.Shipping = shipping[r.IntN(len(shipping))]
	lo, hi := toCents(e.OrderMin), max(toCents(e.OrderMax), toCents(e.OrderMin))
	o.total(e.TaxRate)
	if o.Revenue < lo || o.Revenue > hi {
		o.fit(lo, hi, e.TaxRate, minOf(shipping), r)
	}
	return o
}

// itemCount draws the number of items in [lo, hi] with the legacy skew.
func itemCount(r *rand.Rand, lo, hi int) int {
	lo = max(lo, 1)
	hi = max(hi, lo)
	w := func(j int) float64 { return itemShape[min(j, len(itemShape)-1)] }
	total := 0.0
	for j := 0; j <= hi-lo; j++ {
		total += w(j)
	}
	x := r.Float64() * total
	for j := 0; j < hi-lo; j++ {
		if x -= w(j); x < 0 {
			return lo + j
		}
	}
	return hi
}

// total recomputes the subtotal, tax and revenue.
func (o *OrderInfo) total(taxRate float64) {
	o.Subtotal = 0
	for _, it := range o.Items {
		o.Subtotal += it.Price * int64(it.Quantity)
	}
	o.Tax = int64(math.Round(float64(o.Subtotal) * taxRate))
	o.Revenue = o.Subtotal + o.Tax + o.Shipping
}

// fit rescales the prices so that the revenue lands in [lo, hi].
func (o *OrderInfo) fit(lo, hi int64, taxRate float64, minShipping int64, r *rand.Rand) {
	target := lo + r.Int64N(hi-lo+1)
	units := int64(0) // the smallest possible subtotal: one cent per unit
	for _, it := range o.Items {
		units += int64(it.Quantity)
	}
	if target-o.Shipping < units {
		o.Shipping = minShipping // the drawn shipping alone eats the budget
	}
	want := float64(target-o.Shipping) / (1 + taxRate)
	scale := want / float64(o.Subtotal)
	for i := range o.Items {
		o.Items[i].Price = max(1, int64(math.Round(float64(o.Items[i].Price)*scale)))
	}
	o.total(taxRate)
	// Rounding each price can leave the revenue a few cents off; move the
	// line with the fewest units, whose price has the finest effect.
	k := 0
	for i, it := range o.Items {
		if it.Quantity < o.Items[k].Quantity {
			k = i
		}
	}
	step := float64(o.Items[k].Quantity) * (1 + taxRate) // revenue per cent of its price
	for range 4 {
		var d int64
		switch {
		case o.Revenue > hi:
			d = -int64(math.Ceil(float64(o.Revenue-hi) / step))
		case o.Revenue < lo:
			d = int64(math.Ceil(float64(lo-o.Revenue) / step))
		default:
			return
		}
		o.Items[k].Price = max(1, o.Items[k].Price+d)
		o.total(taxRate)
	}
}

// toCents converts an amount to whole cents.
func toCents(x float64) int64 { return int64(math.Round(x * 100)) }

func cents(xs []float64) []int64 {
	if len(xs) == 0 {
		return []int64{0}
	}
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = max(toCents(x), 0)
	}
	return out
}

func minOf(xs []int64) int64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}

// formatCents formats an amount as "%.2f" does, exactly.
func formatCents(c int64) string {
	return string(appendCents(nil, c))
}

func appendCents(dst []byte, c int64) []byte {
	if c < 0 {
		dst = append(dst, '-')
		c = -c
	}
	dst = strconv.AppendInt(dst, c/100, 10)
	return append(dst, '.', byte('0'+c%100/10), byte('0'+c%10))
}

// itemsJSON encodes the items as ec_items: [[sku, name, category, price,
// quantity], ...] with prices as numbers with two decimals.
func (o *OrderInfo) itemsJSON() string {
	b := make([]byte, 0, 64*len(o.Items))
	b = append(b, '[')
	for i, it := range o.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, it.SKU)
		b = append(b, ',')
		b = appendJSONString(b, it.Name)
		b = append(b, ',')
		b = appendJSONString(b, it.Category)
		b = append(b, ',')
		b = appendCents(b, it.Price)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(it.Quantity), 10)
		b = append(b, ']')
	}
	return string(append(b, ']'))
}

// appendJSONString appends s as a JSON string. Catalogue text is valid
// UTF-8, which JSON carries as is; quotes, backslashes and control
// characters are escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
