package visit

import "testing"

// TestFunnelContinues: with exit_after_completion false, random browsing
// follows in the same visit (legacy defect 14 started a second visit): one
// _id and fingerprint on every hit, new_visit=1 on the first hit only, one
// ping at the very end with the last page's pv_id; the pages after the
// funnel are drawn as in a random visit and link back with urlref.
func TestFunnelContinues(t *testing.T) {
	f := templateFunnels()[2] // Content Discovery: exit_after_completion false
	f.Probability = 1
	cfg := funnelConfig(f)
	cfg.PageviewsMin, cfg.PageviewsMax = 2, 4
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	kinds := map[Kind]int{}
	for i := range uint64(500) {
		v := Generate(cfg, 11, i)
		if v.Funnel != f.Name || v.FunnelSteps != 4 {
			t.Fatalf("visit %d: funnel %q, %d steps", i, v.Funnel, v.FunnelSteps)
		}
		newVisits, pings := 0, 0
		for j, h := range v.Hits {
			if get(t, h.Params, "_id") != v.VisitorID || get(t, h.Params, "res") != v.Res || get(t, h.Params, "cip") != v.IP.String() {
				t.Fatalf("visit %d hit %d: another visitor", i, j)
			}
			if _, ok := h.Params.Get("new_visit"); ok {
				newVisits++
			}
			if h.Kind == Ping {
				pings++
			}
			if j >= 4 {
				kinds[h.Kind]++
			}
		}
		last := v.Hits[len(v.Hits)-1]
		if newVisits != 1 || pings != 1 || last.Kind != Ping || last.Offset != v.Duration ||
			get(t, last.Params, "pv_id") != v.Pages[len(v.Pages)-1].PvID {
			t.Fatalf("visit %d: %d new_visit, %d pings, last hit %v", i, newVisits, pings, last.Kind)
		}
		// The funnel's two pages, then 2..4 pages of browsing, the first of
		// which comes from the funnel's last page.
		if n := len(v.Pages); n < 4 || n > 6 {
			t.Fatalf("visit %d: %d pages", i, n)
		}
		next := v.Hits[4]
		if next.Kind != Pageview || next.Page != 2 || next.Step != 0 ||
			get(t, next.Params, "urlref") != "https://example.com/blog/analytics-best-practices" ||
			next.Offset < v.Hits[3].Offset || next.Pause < cfg.PauseMin {
			t.Fatalf("visit %d: browsing starts with %v %v", i, next.Kind, next.Params)
		}
		checkVisit(t, cfg, v)
	}
	// The browsing has its actions (busy model), orders included.
	for _, k := range []Kind{SiteSearch, Outlink, Download, Event, Order} {
		if kinds[k] == 0 {
			t.Errorf("no %v after the funnel in 500 visits", k)
		}
	}
}

// TestFunnelOrderIDs: a visit with several orders (two ecommerce steps and
// random browsing) gives each its own ec_id, unique across visits.
func TestFunnelOrderIDs(t *testing.T) {
	f := everyStepFunnel()
	f.ExitAfterCompletion = false
	cfg := funnelConfig(f)
	cfg.Ecommerce.Probability = 1
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := range uint64(3000) {
		v := Generate(cfg, 3, i)
		if len(v.Orders) != 3 {
			t.Fatalf("visit %d: %d orders, want 2 steps + 1 random", i, len(v.Orders))
		}
		for _, h := range v.Hits {
			if h.Kind != Order {
				continue
			}
			id := get(t, h.Params, "ec_id")
			if seen[id] {
				t.Fatalf("visit %d: ec_id %s repeated", i, id)
			}
			seen[id] = true
		}
		if v.Orders[0].ID != OrderID("run1", i) || v.Orders[1].ID != OrderID("run1", i)+".2" || v.Orders[2].ID != OrderID("run1", i)+".3" {
			t.Fatalf("visit %d: ids %s %s %s", i, v.Orders[0].ID, v.Orders[1].ID, v.Orders[2].ID)
		}
		if v.Orders[1].Currency != "EUR" || v.Orders[0].Currency != "USD" {
			t.Fatalf("visit %d: currencies %s %s", i, v.Orders[0].Currency, v.Orders[1].Currency)
		}
	}
}

// TestFunnelEcommerceOff: an ecommerce step orders even when the target's
// ecommerce is off, with the step's model or else the legacy defaults.
func TestFunnelEcommerceOff(t *testing.T) {
	cfg := funnelConfig(everyStepFunnel())
	cfg.Ecommerce = nil
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	for i := range uint64(500) {
		v := Generate(cfg, 1, i)
		if len(v.Orders) != 2 {
			t.Fatalf("visit %d: %d orders", i, len(v.Orders))
		}
		d, own := v.Orders[0], v.Orders[1]
		if d.Currency != "USD" || d.Revenue < 1599 || d.Revenue > 29999 || len(d.Items) > 5 ||
			own.Currency != "EUR" || own.Revenue < 4000 || own.Revenue > 4500 || len(own.Items) < 2 || own.Shipping != 490 {
			t.Fatalf("visit %d: orders %+v %+v", i, d, own)
		}
		checkVisit(t, cfg, v)
	}
}
