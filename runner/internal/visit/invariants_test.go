package visit

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/targets"
)

var (
	hex16RE = regexp.MustCompile(`^[0-9a-f]{16}$`)
	hex6RE  = regexp.MustCompile(`^[0-9a-f]{6}$`)
	cdtRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
)

// wantKeys is the parameter grammar of a hit, written independently of the
// generator: base, fingerprint, action parameters, send_image.
func wantKeys(v *Visit, i int) []string {
	h := &v.Hits[i]
	keys := []string{"idsite", "rec", "apiv", "url"}
	if h.Kind != Ping {
		keys = append(keys, "action_name")
	}
	keys = append(keys, "_id", "rand", "cdt", "h", "m", "s", "pv_id")
	if v.IP.IsValid() {
		keys = append(keys, "cip")
	}
	switch {
	case i == 0:
		keys = append(keys, "new_visit")
		if v.Source != Direct {
			keys = append(keys, "urlref")
		}
	case h.Kind != Ping && (h.Page > 0 || v.Source != Direct):
		keys = append(keys, "urlref") // a direct visit has none on its first page
	}
	keys = append(keys, "lang", "res", "fla", "java", "qt", "realp", "pdf", "wma", "ag", "cookie")
	p := h.Params
	switch h.Kind {
	case SiteSearch:
		keys = append(keys, "search")
		if _, ok := p.Get("search_cat"); ok {
			keys = append(keys, "search_cat")
		}
		keys = append(keys, "search_count")
	case Outlink:
		keys = append(keys, "link")
	case Download:
		keys = append(keys, "download")
	case Event:
		keys = append(keys, "e_c", "e_a")
		if _, ok := p.Get("e_n"); ok || h.Step == 0 { // optional in a funnel step only
			keys = append(keys, "e_n")
		}
		if _, ok := p.Get("e_v"); ok {
			keys = append(keys, "e_v")
		}
		keys = append(keys, "ca")
	case Order:
		keys = append(keys, "idgoal", "ec_id", "ec_items", "revenue", "ec_st", "ec_tx", "ec_sh", "ec_currency")
	case Ping:
		keys = append(keys, "ping")
	}
	return append(keys, "send_image")
}

// checkVisit checks every invariant of the model on one visit.
func checkVisit(t *testing.T, cfg *Config, v *Visit) {
	t.Helper()
	n := len(v.Pages)
	if v.Funnel != "" {
		checkFunnelShape(t, cfg, v) // pages, duration and steps
	} else if n < cfg.PageviewsMin || n > cfg.PageviewsMax {
		t.Fatalf("visit %d: %d pages", v.Index, n)
	}
	if !hex16RE.MatchString(v.VisitorID) {
		t.Fatalf("visit %d: _id %q", v.Index, v.VisitorID)
	}
	pvIDs := map[string]bool{}
	for _, p := range v.Pages {
		if !hex6RE.MatchString(p.PvID) || pvIDs[p.PvID] {
			t.Fatalf("visit %d: pv_id %q malformed or repeated", v.Index, p.PvID)
		}
		pvIDs[p.PvID] = true
	}
	if cfg.Geo != v.IP.IsValid() {
		t.Fatalf("visit %d: geo %v but IP %v", v.Index, cfg.Geo, v.IP)
	}
	if cfg.Geo {
		if c, ok := targets.CountryOf(v.IP); !ok || c != v.Country || targets.IsBotIP(v.IP) {
			t.Fatalf("visit %d: IP %v looks up to %q (or is a bot's), visit country %q", v.Index, v.IP, c, v.Country)
		}
	}
	// Every visit has a country of the table, geo or not, and a language
	// of that country.
	langs, ok := catalog.CountryLanguages(v.Country)
	if !ok || targets.Zone(v.Country) == nil {
		t.Fatalf("visit %d: country %q has no languages or zone", v.Index, v.Country)
	}
	found := false
	for i := range langs.Len() {
		found = found || langs.Item(i) == v.Lang
	}
	if !found {
		t.Fatalf("visit %d: lang %q is not one of %s's", v.Index, v.Lang, v.Country)
	}
	if v.Funnel == "" && (v.Duration < cfg.DurationMin || v.Duration > cfg.DurationMax) {
		t.Fatalf("visit %d: duration %v", v.Index, v.Duration)
	}
	checkReferrer(t, v)
	pageviews, pings, orders := 0, 0, 0
	for i := range v.Hits {
		h := &v.Hits[i]
		if got, want := h.Params.Keys(), wantKeys(v, i); !slices.Equal(got, want) {
			t.Fatalf("visit %d hit %d (%v): keys\n%v\nwant\n%v", v.Index, i, h.Kind, got, want)
		}
		checkBase(t, cfg, v, i)
		checkTiming(t, cfg, v, i)
		switch h.Kind {
		case Pageview:
			if h.Page != pageviews || get(t, h.Params, "action_name") != v.Pages[h.Page].Title {
				t.Fatalf("visit %d hit %d: pageview of page %d, want page %d titled %q", v.Index, i, h.Page, pageviews, v.Pages[h.Page].Title)
			}
			pageviews++
		case Ping:
			pings++
			if i != len(v.Hits)-1 || h.Page != n-1 || get(t, h.Params, "ping") != "1" {
				t.Fatalf("visit %d: ping at hit %d of %d, page %d", v.Index, i, len(v.Hits), h.Page)
			}
		default:
			if h.Page == 0 && h.Step == 0 {
				t.Fatalf("visit %d hit %d: %v on the first page", v.Index, i, h.Kind)
			}
			switch {
			case h.Kind == Order:
				checkOrderHit(t, cfg, v, i, orders)
				orders++
			case h.Step == 0:
				checkAction(t, v, h)
			default:
				checkStepAction(t, v, i, funnelStep(t, cfg, v, h))
			}
		}
	}
	if pageviews != n || pings != 1 {
		t.Fatalf("visit %d: %d pageviews for %d pages, %d pings", v.Index, pageviews, n, pings)
	}
	if (orders > 0) != (v.Order != nil) || orders != len(v.Orders) || orders > 0 && v.Order != v.Orders[0] ||
		orders > 1 && v.Funnel == "" {
		t.Fatalf("visit %d: %d order hits, Order %v, Orders %v", v.Index, orders, v.Order, v.Orders)
	}
}

func checkReferrer(t *testing.T, v *Visit) {
	t.Helper()
	refs := catalog.MatomoReferrers()
	lists := map[Source][]string{Search: refs.Search, Social: refs.Social, Referral: refs.Referral}
	switch {
	case (v.Source == Direct || v.Source == Campaign) && v.Referrer != "":
		t.Fatalf("visit %d: %v with referrer %q", v.Index, v.Source, v.Referrer)
	case v.Source == Campaign && (v.Campaign.Name == "" || !strings.Contains(v.Pages[0].URL, "mtm_campaign=")):
		t.Fatalf("visit %d: campaign %v, landing URL %q", v.Index, v.Campaign, v.Pages[0].URL)
	case v.Source != Campaign && v.Campaign != (catalog.Campaign{}):
		t.Fatalf("visit %d: %v with campaign %v", v.Index, v.Source, v.Campaign)
	case v.Source != Direct && v.Source != Campaign && !slices.Contains(lists[v.Source], v.Referrer):
		t.Fatalf("visit %d: %v referrer %q not in its list", v.Index, v.Source, v.Referrer)
	}
}

// checkBase checks the parameters every hit shares.
func checkBase(t *testing.T, cfg *Config, v *Visit, i int) {
	t.Helper()
	h := &v.Hits[i]
	p := h.Params
	page := v.Pages[h.Page]
	want := map[string]string{
		"idsite": strconv.Itoa(cfg.SiteID), "rec": "1", "apiv": "1", "url": hitURL(t, cfg, v, i), "_id": v.VisitorID,
		"pv_id": page.PvID, "lang": v.Lang, "res": v.Res, "send_image": "0",
	}
	for i, name := range PluginParams {
		want[name] = map[bool]string{false: "0", true: "1"}[v.Plugins.Has(i)]
	}
	if cfg.Geo {
		want["cip"] = v.IP.String()
	}
	switch {
	case i == 0:
		want["new_visit"] = "1"
		if v.Referrer != "" {
			want["urlref"] = v.Referrer
		}
	case h.Kind != Ping && h.Page > 0:
		want["urlref"] = v.Pages[h.Page-1].URL
	case h.Kind != Ping && v.Referrer != "":
		want["urlref"] = v.Referrer // an action step on the first page
	}
	for k, w := range want {
		if got := get(t, p, k); got != w {
			t.Fatalf("visit %d hit %d: %s=%q, want %q", v.Index, i, k, got, w)
		}
	}
	rnd, err := strconv.ParseUint(get(t, p, "rand"), 10, 64)
	if err != nil || rnd > math.MaxInt32 {
		t.Fatalf("visit %d hit %d: rand %q", v.Index, i, get(t, p, "rand"))
	}
	for _, kv := range p {
		if kv.Key == "token_auth" || kv.Key == "ua" || (kv.Key == "ca" && h.Kind != Event) {
			t.Fatalf("visit %d hit %d (%v) carries %s", v.Index, i, h.Kind, kv.Key)
		}
	}
}

// checkTiming checks offsets and pauses.
func checkTiming(t *testing.T, cfg *Config, v *Visit, i int) {
	t.Helper()
	h := &v.Hits[i]
	switch {
	case i == 0:
		if h.Offset != 0 || h.Pause != 0 {
			t.Fatalf("visit %d: first hit at %v after %v", v.Index, h.Offset, h.Pause)
		}
	case h.Kind == Ping:
		if h.Offset != v.Duration || h.Pause != 0 {
			t.Fatalf("visit %d: ping at %v (duration %v) after %v", v.Index, h.Offset, v.Duration, h.Pause)
		}
	default:
		if h.Offset < v.Hits[i-1].Offset || h.Pause < cfg.PauseMin || h.Pause > cfg.PauseMax {
			t.Fatalf("visit %d hit %d: offset %v after %v, pause %v", v.Index, i, h.Offset, v.Hits[i-1].Offset, h.Pause)
		}
	}
	if i > 0 && h.Page < v.Hits[i-1].Page {
		t.Fatalf("visit %d hit %d: page %d after page %d", v.Index, i, h.Page, v.Hits[i-1].Page)
	}
}

func checkAction(t *testing.T, v *Visit, h *Hit) {
	t.Helper()
	p := h.Params
	name := get(t, p, "action_name")
	switch h.Kind {
	case SiteSearch:
		term := get(t, p, "search")
		n, err := strconv.Atoi(get(t, p, "search_count"))
		cat, hasCat := p.Get("search_cat")
		if !slices.Contains(catalog.SearchTerms(), term) || err != nil || n < 0 || n > 25 ||
			(hasCat && !slices.Contains(catalog.SearchCategories(), cat)) || name != "Search: "+term {
			t.Fatalf("visit %d: bad search %v", v.Index, p)
		}
	case Outlink:
		link := get(t, p, "link")
		if !slices.Contains(catalog.Outlinks(), link) || name != "Outlink: "+link {
			t.Fatalf("visit %d: bad outlink %v", v.Index, p)
		}
	case Download:
		d := get(t, p, "download")
		origin := catalog.Origin(v.Pages[h.Page].URL)
		file := strings.TrimPrefix(d, origin)
		if origin == "" || file == d || !slices.Contains(catalog.Downloads(), file) ||
			name != "Download: "+file[strings.LastIndexByte(file, '/')+1:] {
			t.Fatalf("visit %d: bad download %v", v.Index, p)
		}
	case Event:
		e := catalog.Event{Category: get(t, p, "e_c"), Action: get(t, p, "e_a"), Name: get(t, p, "e_n")}
		e.Value, _ = p.Get("e_v")
		if !slices.Contains(catalog.ClickEvents(), e) && !slices.Contains(catalog.RandomEvents(), e) ||
			get(t, p, "ca") != "1" || name != "Event: "+e.Action+" - "+e.Name {
			t.Fatalf("visit %d: bad event %v", v.Index, p)
		}
	default:
		t.Fatalf("visit %d: unexpected kind %v", v.Index, h.Kind)
	}
}

// checkOrderHit checks the order hit (the visit's order number j, from 0)
// against the order and the order against the rules: totals to the cent,
// positive prices, item counts and revenue in range, id from run id, index
// and j. A random order comes last, on the last page, with the target's
// model; a funnel step's order where the step is, with the step's model.
func checkOrderHit(t *testing.T, cfg *Config, v *Visit, i, j int) {
	t.Helper()
	h, o, e := &v.Hits[i], v.Orders[j], cfg.Ecommerce
	p := h.Params
	wantName := "Ecommerce Order: " + o.ID + " (" + o.Currency + " " + get(t, p, "revenue") + ")"
	if h.Step > 0 {
		s := funnelStep(t, cfg, v, h)
		e, wantName = s.orderModel(cfg), s.ActionName
		if wantName == "" {
			wantName = "Funnel Order: " + o.ID
		}
	} else {
		if h.Page != len(v.Pages)-1 {
			t.Fatalf("visit %d: order on page %d of %d", v.Index, h.Page, len(v.Pages))
		}
		if i+1 < len(v.Hits) && v.Hits[i+1].Kind != Ping {
			t.Fatalf("visit %d: the order is followed by a %v", v.Index, v.Hits[i+1].Kind)
		}
	}
	wantID := cfg.RunID + "-" + strconv.FormatUint(v.Index, 36)
	if j > 0 {
		wantID += "." + strconv.Itoa(j+1)
	}
	if id := get(t, p, "ec_id"); id != wantID || id != o.ID {
		t.Fatalf("visit %d: ec_id %q, want %q", v.Index, id, wantID)
	}
	st, tx := parseAmount(t, get(t, p, "ec_st")), parseAmount(t, get(t, p, "ec_tx"))
	sh, rev := parseAmount(t, get(t, p, "ec_sh")), parseAmount(t, get(t, p, "revenue"))
	if rev != st+tx+sh || st != o.Subtotal || tx != o.Tax || sh != o.Shipping || rev != o.Revenue {
		t.Fatalf("visit %d: revenue %d != %d + %d + %d (order %+v)", v.Index, rev, st, tx, sh, o)
	}
	if get(t, p, "idgoal") != "0" || get(t, p, "ec_currency") != e.Currency || o.Currency != e.Currency ||
		get(t, p, "action_name") != wantName {
		t.Fatalf("visit %d: order params %v", v.Index, p)
	}
	var items [][]any
	if err := json.Unmarshal([]byte(get(t, p, "ec_items")), &items); err != nil {
		t.Fatalf("visit %d: ec_items %v", v.Index, err)
	}
	if len(items) != len(o.Items) {
		t.Fatalf("visit %d: %d ec_items for %d items", v.Index, len(items), len(o.Items))
	}
	sum := int64(0)
	for j, it := range items {
		price, _ := it[3].(float64)
		qty, _ := it[4].(float64)
		c := int64(math.Round(price * 100))
		if c <= 0 || qty < 1 || qty > 3 || it[0] != o.Items[j].SKU || c != o.Items[j].Price {
			t.Fatalf("visit %d: item %v", v.Index, it)
		}
		sum += c * int64(qty)
	}
	checkTotals(t, e, o)
	if sum != st {
		t.Fatalf("visit %d: items add up to %d, ec_st %d", v.Index, sum, st)
	}
}

// checkTotals checks an order against its model.
func checkTotals(t testing.TB, e *Ecommerce, o *OrderInfo) {
	t.Helper()
	sum := int64(0)
	for _, it := range o.Items {
		if it.Price <= 0 || it.Quantity < 1 {
			t.Fatalf("order %s: item %+v", o.ID, it)
		}
		sum += it.Price * int64(it.Quantity)
	}
	if sum != o.Subtotal || o.Tax != int64(math.Round(float64(o.Subtotal)*e.TaxRate)) ||
		o.Revenue != o.Subtotal+o.Tax+o.Shipping {
		t.Fatalf("order %s does not add up: %+v", o.ID, o)
	}
	if len(o.Items) < e.ItemsMin || len(o.Items) > e.ItemsMax {
		t.Fatalf("order %s: %d items, want %d..%d", o.ID, len(o.Items), e.ItemsMin, e.ItemsMax)
	}
	if o.Revenue < toCents(e.OrderMin) || o.Revenue > toCents(e.OrderMax) {
		t.Fatalf("order %s: revenue %d outside %v..%v", o.ID, o.Revenue, e.OrderMin, e.OrderMax)
	}
	if !slices.Contains(cents(e.Shipping), o.Shipping) {
		t.Fatalf("order %s: shipping %d not a configured cost", o.ID, o.Shipping)
	}
}

// checkStamped checks the cdt values of a visit stamped to end at now.
func checkStamped(t *testing.T, v *Visit, now time.Time) {
	t.Helper()
	prev := ""
	for i, h := range v.Hits {
		cdt := get(t, h.Params, "cdt")
		if !cdtRE.MatchString(cdt) || cdt < prev {
			t.Fatalf("visit %d hit %d: cdt %q after %q", v.Index, i, cdt, prev)
		}
		ts, err := time.Parse(CDTLayout, cdt)
		if err != nil || ts.After(now) || cdt != v.Start.Add(h.Offset).UTC().Format(CDTLayout) {
			t.Fatalf("visit %d hit %d: cdt %q (now %v, start %v + %v)", v.Index, i, cdt, now, v.Start, h.Offset)
		}
		prev = cdt
		// h:m:s is cdt on the clock of the country's main timezone,
		// independently looked up here, and never zero-padded.
		local := ts.In(targets.Zone(v.Country))
		for _, x := range []struct {
			key  string
			want int
		}{{"h", local.Hour()}, {"m", local.Minute()}, {"s", local.Second()}} {
			if got := get(t, h.Params, x.key); got != strconv.Itoa(x.want) {
				t.Fatalf("visit %d (%s) hit %d: %s=%q, want %d for cdt %s", v.Index, v.Country, i, x.key, got, x.want, cdt)
			}
		}
	}
	if last := get(t, v.Hits[len(v.Hits)-1].Params, "cdt"); last != now.UTC().Format(CDTLayout) {
		t.Fatalf("visit %d: last cdt %q, want now %v", v.Index, last, now.UTC())
	}
}

func TestInvariants(t *testing.T) {
	now := time.Date(2025, 6, 30, 23, 59, 59, 999999999, time.FixedZone("CEST", 2*3600))
	for name, cfg := range map[string]*Config{
		"default": defaultConfig(),
		"busy":    busyConfig(),
		"no geo, one to two pages, custom countries": func() *Config {
			c := busyConfig()
			c.PageviewsMin, c.PageviewsMax = 1, 2
			c.Geo = false
			c.Countries = []CountryShare{{"SE", 1}}
			return c
		}(),
		"custom countries": func() *Config {
			c := busyConfig()
			c.Countries = []CountryShare{{"SE", 0.5}, {"JP", 0.5}, {"US", 0}}
			return c
		}(),
		"ecommerce off, direct only, no pause": func() *Config {
			c := busyConfig()
			c.Ecommerce = nil
			c.Direct, c.Search, c.Social, c.Referral = 1, 0, 0, 0
			c.PauseMin, c.PauseMax = 0, 0
			return c
		}(),
		"items 3..5, narrow order range": func() *Config {
			c := busyConfig()
			c.Ecommerce.ItemsMin, c.Ecommerce.ItemsMax = 3, 5
			c.Ecommerce.OrderMin, c.Ecommerce.OrderMax = 40, 45
			c.Ecommerce.Shipping = []float64{0, 39.99}
			return c
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			if err := cfg.Check(); err != nil {
				t.Fatal(err)
			}
			for i := range uint64(3000) {
				v := Generate(cfg, 3, i)
				checkVisit(t, cfg, v)
				v.StampEnd(now)
				checkStamped(t, v, now)
				if len(cfg.Countries) > 0 && v.Country != "SE" && v.Country != "JP" {
					t.Fatalf("visit %d from %q, mix is SE and JP", i, v.Country)
				}
			}
		})
	}
}

// TestParamCount: the parameter array of a visit is sized exactly.
func TestParamCount(t *testing.T) {
	for _, cfg := range []*Config{defaultConfig(), busyConfig()} {
		cfg.Geo = !cfg.Geo
		for i := range uint64(2000) {
			v := Generate(cfg, 8, i)
			total := 0
			var acts []action
			for _, h := range v.Hits {
				total += len(h.Params)
				if h.Kind != Pageview && h.Kind != Ping {
					extra := len(h.Params) - slices.IndexFunc(h.Params, func(p Param) bool { return p.Key == "cookie" }) - 2
					acts = append(acts, action{params: make([]Param, extra)})
				}
			}
			b := hitBuilder{v: v, cip: map[bool]string{true: "x"}[cfg.Geo]}
			if got := b.paramCount(len(v.Hits), acts); got != total {
				t.Fatalf("visit %d: paramCount %d, hits have %d parameters", i, got, total)
			}
		}
	}
}
