package catalog

import (
	"strconv"
	"strings"
	"sync"
)

// Product is one article of the ecommerce catalogue.
type Product struct {
	Category string
	SKU      string
	Name     string
	Price    int64 // base price in cents
}

// Category is one product category with its products, in file order.
type Category struct {
	Name     string
	Products []Product
}

// Products returns the 50 products of the legacy catalogue, in file order.
func Products() []Product { return products() }

var products = sync.OnceValue(func() []Product {
	var out []Product
	for _, r := range rows("products.tsv", true, 4) {
		price, ok := parseCents(r.fields[3])
		if !ok || price <= 0 {
			panic(dataError("products.tsv", r.line, "bad price %q", r.fields[3]))
		}
		p := Product{Category: r.fields[0], SKU: r.fields[1], Name: r.fields[2], Price: price}
		if p.Category == "" || p.SKU == "" || p.Name == "" {
			panic(dataError("products.tsv", r.line, "empty field"))
		}
		out = append(out, p)
	}
	return out
})

// Categories returns the products grouped by category, in order of first
// appearance. The legacy order model draws a category uniformly, then a
// product of it uniformly.
func Categories() []Category { return categories() }

var categories = sync.OnceValue(func() []Category {
	var out []Category
	index := map[string]int{}
	for _, p := range Products() {
		i, ok := index[p.Category]
		if !ok {
			i = len(out)
			index[p.Category] = i
			out = append(out, Category{Name: p.Category})
		}
		out[i].Products = append(out[i].Products, p)
	}
	return out
})

// parseCents reads a non-negative decimal amount with at most two decimals
// ("899.99", "15", "0.5") as cents, exactly.
func parseCents(s string) (int64, bool) {
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (dot && frac == "") {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseUint(whole, 10, 40)
	f, err2 := strconv.ParseUint(frac, 10, 8)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int64(w)*100 + int64(f), true
}
