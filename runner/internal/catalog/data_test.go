package catalog

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestProducts(t *testing.T) {
	ps := Products()
	if len(ps) != 50 {
		t.Fatalf("%d products, want 50", len(ps))
	}
	if got, want := ps[0], (Product{"Electronics", "PHONE-001", "Smartphone Pro Max", 89999}); got != want {
		t.Errorf("first product %+v, want %+v", got, want)
	}
	if got, want := ps[49], (Product{"Sports", "SPORT-010", "Fitness Tracker", 14999}); got != want {
		t.Errorf("last product %+v, want %+v", got, want)
	}
	sku := regexp.MustCompile(`^[A-Z]+-\d{3}$`)
	lo, hi := int64(math.MaxInt64), int64(0)
	seen := map[string]bool{}
	for _, p := range ps {
		if !sku.MatchString(p.SKU) || seen[p.SKU] {
			t.Errorf("SKU %q malformed or repeated", p.SKU)
		}
		seen[p.SKU] = true
		lo, hi = min(lo, p.Price), max(hi, p.Price)
	}
	if lo != 799 || hi != 129999 {
		t.Errorf("prices %d..%d cents, want 799..129999", lo, hi)
	}
	cats := Categories()
	var names []string
	for _, c := range cats {
		names = append(names, c.Name)
		if len(c.Products) != 10 {
			t.Errorf("category %s has %d products, want 10", c.Name, len(c.Products))
		}
	}
	if got := strings.Join(names, ","); got != "Electronics,Clothing,Books,Home & Garden,Sports" {
		t.Errorf("categories %s", got)
	}
	// A name with a double quote survives parsing (it must be escaped in ec_items).
	if ps[4].Name != `Pro Tablet 11"` {
		t.Errorf("product 5 name %q", ps[4].Name)
	}
}

func TestParseCents(t *testing.T) {
	for in, want := range map[string]int64{"899.99": 89999, "15": 1500, "0.5": 50, "7.99": 799, "0.01": 1} {
		if got, ok := parseCents(in); !ok || got != want {
			t.Errorf("parseCents(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", ".5", "1.", "1.234", "-1", "1e3", "abc", "1.x"} {
		if _, ok := parseCents(in); ok {
			t.Errorf("parseCents(%q) accepted", in)
		}
	}
}

func TestEvents(t *testing.T) {
	click, random := ClickEvents(), RandomEvents()
	if len(click) != 16 || len(random) != 16 {
		t.Fatalf("%d click and %d random events, want 16 and 16", len(click), len(random))
	}
	for _, e := range click {
		if e.Value != "" {
			t.Errorf("click event %+v has a value", e)
		}
	}
	values := map[string]string{}
	for _, e := range random {
		if e.Value != "" {
			values[e.Action] = e.Value
		}
	}
	want := map[string]string{"Scroll": "100", "Time on Page": "300", "Load Time": "1200", "Tool Usage": "1", "Conversion": "50"}
	if len(values) != len(want) {
		t.Errorf("random events with values %v, want %v", values, want)
	}
	for k, v := range want {
		if values[k] != v {
			t.Errorf("random event %q value %q, want %q", k, values[k], v)
		}
	}
	perCategory := func(es []Event) map[string]int {
		m := map[string]int{}
		for _, e := range es {
			m[e.Category]++
		}
		return m
	}
	wantClick := map[string]int{"Navigation": 3, "UI": 4, "Social": 3, "Form": 2, "Video": 2, "CTA": 2}
	wantRandom := map[string]int{"Engagement": 2, "Performance": 1, "Error": 2, "Feature": 3, "Content": 2, "Mobile": 2, "Analytics": 2, "User": 2}
	for name, c := range map[string]struct{ got, want map[string]int }{
		"click": {perCategory(click), wantClick}, "random": {perCategory(random), wantRandom},
	} {
		if len(c.got) != len(c.want) {
			t.Errorf("%s categories %v, want %v", name, c.got, c.want)
		}
		for k, n := range c.want {
			if c.got[k] != n {
				t.Errorf("%s category %s: %d events, want %d", name, k, c.got[k], n)
			}
		}
	}
}

func TestLists(t *testing.T) {
	terms := SearchTerms()
	if len(terms) != 37 || terms[0] != "product" || terms[36] != "data" {
		t.Errorf("search terms: %d, first %q, last %q; want 37, product, data", len(terms), terms[0], terms[len(terms)-1])
	}
	links := Outlinks()
	if len(links) != 25 || links[0] != "https://github.com" || links[24] != "https://dev.to" {
		t.Errorf("outlinks: %d, first %q, last %q", len(links), links[0], links[len(links)-1])
	}
	files := Downloads()
	if len(files) != 20 {
		t.Errorf("%d downloads, want 20", len(files))
	}
	exts := map[string]bool{}
	for _, f := range files {
		if !strings.HasPrefix(f, "/") {
			t.Errorf("download %q is not a site-relative path", f)
		}
		if strings.HasSuffix(f, ".tar.gz") {
			exts["tar.gz"] = true
		} else {
			exts[f[strings.LastIndexByte(f, '.')+1:]] = true
		}
	}
	for _, e := range []string{"pdf", "pptx", "zip", "apk", "csv", "xlsx", "docx", "json", "tar.gz", "exe"} {
		if !exts[e] {
			t.Errorf("no download with extension %s", e)
		}
	}
	if len(exts) != 10 {
		t.Errorf("download extensions %v, want 10", exts)
	}
	if got := strings.Join(SearchCategories(), ","); got != "Products,Support,Documentation" {
		t.Errorf("search categories %s", got)
	}
}

func TestMatomoReferrers(t *testing.T) {
	r := MatomoReferrers()
	if len(r.Search) != 10 || len(r.Social) != 10 || len(r.Referral) != 17 {
		t.Fatalf("referrers %d/%d/%d, want 10/10/17", len(r.Search), len(r.Social), len(r.Referral))
	}
	if r.Search[0] != "https://www.google.com/search?q=matomo+analytics" ||
		r.Social[2] != "https://l.facebook.com/" || r.Referral[16] != "https://www.producthunt.com/" {
		t.Errorf("referrers %q, %q, %q", r.Search[0], r.Social[2], r.Referral[16])
	}
	c := Campaigns()
	if len(c) != 8 || c[0] != (Campaign{"spring_sale", "analytics"}) || c[7] != (Campaign{"adwords_brand", "trafficinator"}) {
		t.Errorf("campaigns %v", c)
	}
}
