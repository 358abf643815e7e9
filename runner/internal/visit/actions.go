package visit

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

// searchCatShare is the share of site searches that carry a search_cat.
// The legacy README promised 30 %, but the code drew from four entries of
// which one was empty, so only 22.5 % carried one; this model keeps the
// documented 30 %.
const searchCatShare = 0.30

// maxSearchCount is the largest search_count (legacy: uniform 0..25).
const maxSearchCount = 25

// action is one planned action hit: an extra hit on the page it belongs
// to, after that page's pageview.
type action struct {
	kind   Kind
	page   int
	offset time.Duration
	name   string  // action_name
	params []Param // the action's own parameters
}

// planActions places the wanted actions on the pages from..len(v.Pages)-1.
// Each goes on a page drawn uniformly from those (a random visit passes
// from = 1: never the first page, as in the legacy tool; the random
// browsing after a funnel passes its own first page), at a time within
// that page's dwell; the order goes on the last page, after its other
// actions. With no page to use (a one-page random visit) there are no
// actions. Several actions on one page are each sent as their own hit, in
// time order (legacy defect 6 kept one and silently dropped the others).
func planActions(cfg *Config, v *Visit, from int, wants [numWants]bool, starts []time.Duration, r *rand.Rand) []action {
	n := len(v.Pages)
	if n <= from {
		return nil
	}
	var acts []action
	for i := range wantOrder {
		if !wants[i] {
			continue
		}
		a := action{page: from + r.IntN(n-from)}
		a.offset = within(starts, a.page, r.Float64())
		switch i {
		case wantSearch:
			searchAction(&a, r)
		case wantOutlink:
			outlinkAction(&a, r)
		case wantDownload:
			downloadAction(&a, v.Pages[a.page].URL, r)
		case wantClick:
			eventAction(&a, catalog.ClickEvents(), r)
		case wantRandom:
			eventAction(&a, catalog.RandomEvents(), r)
		}
		acts = append(acts, a)
	}
	if wants[wantOrder] && cfg.Ecommerce != nil {
		o := newOrder(cfg.Ecommerce, cfg.RunID, v.Index, r)
		v.addOrder(o, cfg.RunID)
		a := action{page: n - 1, offset: within(starts, n-1, r.Float64())}
		for _, b := range acts {
			if b.page == a.page {
				a.offset = max(a.offset, b.offset) // the purchase comes last on its page
			}
		}
		orderAction(&a, o)
		acts = append(acts, a)
	}
	// Insertion sort by (page, offset); stable, so the order stays last on
	// a tie.
	for i := 1; i < len(acts); i++ {
		for j := i; j > 0 && (acts[j].page < acts[j-1].page ||
			acts[j].page == acts[j-1].page && acts[j].offset < acts[j-1].offset); j-- {
			acts[j], acts[j-1] = acts[j-1], acts[j]
		}
	}
	return acts
}

// within returns the time at fraction u of page k's dwell.
func within(starts []time.Duration, k int, u float64) time.Duration {
	return starts[k] + time.Duration(u*float64(starts[k+1]-starts[k]))
}

func searchAction(a *action, r *rand.Rand) {
	terms := catalog.SearchTerms()
	term := terms[r.IntN(len(terms))]
	a.kind, a.name = SiteSearch, "Search: "+term
	a.params = append(make([]Param, 0, 3), Param{Key: "search", Value: term})
	if r.Float64() < searchCatShare {
		cats := catalog.SearchCategories()
		a.params = append(a.params, Param{Key: "search_cat", Value: cats[r.IntN(len(cats))]})
	}
	a.params = append(a.params, Param{Key: "search_count", Value: strconv.Itoa(r.IntN(maxSearchCount + 1))})
}

func outlinkAction(a *action, r *rand.Rand) {
	links := catalog.Outlinks()
	link := links[r.IntN(len(links))]
	a.kind, a.name = Outlink, "Outlink: "+link
	a.params = []Param{{Key: "link", Value: link}}
}

func downloadAction(a *action, pageURL string, r *rand.Rand) {
	files := catalog.Downloads()
	file := files[r.IntN(len(files))]
	a.kind, a.name = Download, "Download: "+lastSegment(file)
	a.params = []Param{{Key: "download", Value: resolve(pageURL, file)}}
}

func eventAction(a *action, events []catalog.Event, r *rand.Rand) {
	e := events[r.IntN(len(events))]
	a.kind, a.name = Event, "Event: "+e.Action+" - "+e.Name
	a.params = append(make([]Param, 0, 5), Param{Key: "e_c", Value: e.Category}, Param{Key: "e_a", Value: e.Action}, Param{Key: "e_n", Value: e.Name})
	if e.Value != "" {
		a.params = append(a.params, Param{Key: "e_v", Value: e.Value})
	}
	// ca=1 marks a request that is not a pageview, as Matomo's JavaScript
	// tracker sends with events: if the Events plugin were off, the hit
	// would be ignored instead of counting as a pageview.
	a.params = append(a.params, Param{Key: "ca", Value: "1"})
}

func orderAction(a *action, o *OrderInfo) {
	revenue := formatCents(o.Revenue)
	a.kind = Order
	a.name = "Ecommerce Order: " + o.ID + " (" + o.Currency + " " + revenue + ")"
	a.params = []Param{
		{Key: "idgoal", Value: "0"},
		{Key: "ec_id", Value: o.ID},
		{Key: "ec_items", Value: o.itemsJSON()},
		{Key: "revenue", Value: revenue},
		{Key: "ec_st", Value: formatCents(o.Subtotal)},
		{Key: "ec_tx", Value: formatCents(o.Tax)},
		{Key: "ec_sh", Value: formatCents(o.Shipping)},
		{Key: "ec_currency", Value: o.Currency},
	}
}

// resolve makes a download path absolute against the scheme and host of
// the page that links to it; absolute URLs pass through.
func resolve(pageURL, file string) string {
	if strings.Contains(file, "://") {
		return file
	}
	if !strings.HasPrefix(file, "/") {
		file = "/" + file
	}
	return catalog.Origin(pageURL) + file
}

// lastSegment is the file name of a path: what follows its last slash,
// without query or fragment.
func lastSegment(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	return p[strings.LastIndexByte(p, '/')+1:]
}
