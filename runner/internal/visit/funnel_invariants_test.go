package visit

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
)

// funnelOf returns the funnel a visit follows.
func funnelOf(t *testing.T, cfg *Config, v *Visit) *Funnel {
	t.Helper()
	for i := range cfg.Funnels {
		if cfg.Funnels[i].Name == v.Funnel {
			return &cfg.Funnels[i]
		}
	}
	t.Fatalf("visit %d: funnel %q is not configured", v.Index, v.Funnel)
	return nil
}

// funnelStep returns the step a funnel hit sends.
func funnelStep(t *testing.T, cfg *Config, v *Visit, h *Hit) *Step {
	t.Helper()
	f := funnelOf(t, cfg, v)
	if h.Step < 1 || h.Step > len(f.Steps) {
		t.Fatalf("visit %d: step %d of %d", v.Index, h.Step, len(f.Steps))
	}
	return &f.Steps[h.Step-1]
}

var builtinURLs = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, p := range catalog.Builtin() {
		m[p.URL] = true
	}
	return m
})

// hitURL is the url a hit must have: its page's, or for a funnel step the
// step's url (a path on the site of the configured pages), the previous
// step's url when it has none, a configured page for a first step without.
func hitURL(t *testing.T, cfg *Config, v *Visit, i int) string {
	t.Helper()
	h := &v.Hits[i]
	if h.Step == 0 {
		return v.Pages[h.Page].URL
	}
	s := funnelStep(t, cfg, v, h)
	switch {
	case strings.HasPrefix(s.URL, "https://") || strings.HasPrefix(s.URL, "http://"):
		return s.URL
	case s.URL != "":
		site := catalog.BuiltinSite
		if len(cfg.Pages) > 0 {
			site = catalog.Origin(cfg.Pages[0].URL)
		}
		return site + "/" + strings.TrimPrefix(s.URL, "/")
	case h.Step == 1:
		u := v.Pages[0].URL
		if len(cfg.Pages) == 0 && !builtinURLs()[u] ||
			len(cfg.Pages) > 0 && !slices.ContainsFunc(cfg.Pages, func(p catalog.Page) bool { return p.URL == u }) {
			t.Fatalf("visit %d: first step on %q, not a configured page", v.Index, u)
		}
		return u
	}
	return get(t, v.Hits[i-1].Params, "url") // the steps are the first hits, in order
}

// checkFunnelShape checks the funnel part of a visit: its first hits are
// the steps in order, of their kinds, each after its delay; pageview
// steps make the pages, with their names; action steps are on the page of
// the last pageview step. Then either only the ping (exit after
// completion) or random browsing in the same visit.
func checkFunnelShape(t *testing.T, cfg *Config, v *Visit) {
	t.Helper()
	f := funnelOf(t, cfg, v)
	n := len(f.Steps)
	if v.FunnelSteps != n || len(v.Hits) < n+1 {
		t.Fatalf("visit %d: FunnelSteps %d, %d hits, funnel %q has %d steps", v.Index, v.FunnelSteps, len(v.Hits), f.Name, n)
	}
	pv := 0
	for j := range n {
		h, s := &v.Hits[j], &f.Steps[j]
		if h.Step != j+1 || h.Kind != s.Kind {
			t.Fatalf("visit %d hit %d: step %d %v, want step %d %v", v.Index, j, h.Step, h.Kind, j+1, s.Kind)
		}
		if j > 0 {
			if d := h.Offset - v.Hits[j-1].Offset; d < s.DelayMin || d > s.DelayMax {
				t.Fatalf("visit %d step %d: %v after the previous step, delay %v..%v", v.Index, j+1, d, s.DelayMin, s.DelayMax)
			}
		}
		if s.Kind != Pageview {
			if h.Page != pv-1 {
				t.Fatalf("visit %d step %d: on page %d, want %d", v.Index, j+1, h.Page, pv-1)
			}
			continue
		}
		name := s.ActionName
		if name == "" {
			name = "Funnel: " + f.Name + " (" + strconv.Itoa(j+1) + "/" + strconv.Itoa(n) + ")"
		}
		if h.Page != pv || v.Pages[pv].Title != name {
			t.Fatalf("visit %d step %d: page %d titled %q, want page %d titled %q", v.Index, j+1, h.Page, v.Pages[h.Page].Title, pv, name)
		}
		pv++
	}
	end := v.Hits[n-1].Offset
	rest := v.Hits[n:]
	if f.ExitAfterCompletion {
		if len(v.Pages) != pv || len(rest) != 1 || v.Duration != end {
			t.Fatalf("visit %d: %d pages for %d pageview steps, %d hits after the steps, duration %v (last step at %v)",
				v.Index, len(v.Pages), pv, len(rest), v.Duration, end)
		}
		return
	}
	if m := len(v.Pages) - pv; m < cfg.PageviewsMin || m > cfg.PageviewsMax {
		t.Fatalf("visit %d: %d pages of random browsing", v.Index, m)
	}
	if d := v.Duration - end; d < cfg.DurationMin || d > cfg.DurationMax {
		t.Fatalf("visit %d: random browsing lasts %v", v.Index, d)
	}
	if rest[0].Kind != Pageview || rest[0].Page != pv || rest[0].Offset < end {
		t.Fatalf("visit %d: random browsing starts with %v on page %d at %v (steps end at %v)", v.Index, rest[0].Kind, rest[0].Page, rest[0].Offset, end)
	}
	for _, h := range rest {
		if h.Step != 0 || h.Page < pv {
			t.Fatalf("visit %d: random browsing hit %v on page %d, step %d", v.Index, h.Kind, h.Page, h.Step)
		}
	}
}

// checkStepAction checks the action parameters and name of a funnel step
// hit (not an order), exactly.
func checkStepAction(t *testing.T, v *Visit, i int, s *Step) {
	t.Helper()
	h := &v.Hits[i]
	p := h.Params
	var want Params
	var name string
	switch s.Kind {
	case Event:
		want = Params{{Key: "e_c", Value: s.Category}, {Key: "e_a", Value: s.Action}}
		if s.Name != "" {
			want = append(want, Param{Key: "e_n", Value: s.Name})
		}
		if s.Value != nil {
			want = append(want, Param{Key: "e_v", Value: strconv.FormatFloat(*s.Value, 'f', -1, 64)})
		}
		want = append(want, Param{Key: "ca", Value: "1"})
		name = "Funnel Event: " + s.Action
	case SiteSearch:
		want = Params{{Key: "search", Value: s.Keyword}}
		if s.SearchCategory != "" {
			want = append(want, Param{Key: "search_cat", Value: s.SearchCategory})
		}
		count := get(t, p, "search_count")
		if s.Results != nil {
			count = strconv.Itoa(*s.Results)
		} else if n, err := strconv.Atoi(count); err != nil || n < 0 || n > 25 {
			t.Fatalf("visit %d: search_count %q", v.Index, count)
		}
		want = append(want, Param{Key: "search_count", Value: count})
		name = "Funnel Search: " + s.Keyword
	case Outlink:
		want = Params{{Key: "link", Value: s.Target}}
		name = "Funnel Outlink: " + s.Target
	case Download:
		d := s.Target
		if !strings.Contains(d, "://") {
			d = catalog.Origin(get(t, p, "url")) + "/" + strings.TrimPrefix(d, "/")
		}
		want = Params{{Key: "download", Value: d}}
		name = "Funnel Download: " + s.Target[strings.LastIndexByte(s.Target, '/')+1:]
	default:
		t.Fatalf("visit %d hit %d: step kind %v", v.Index, i, s.Kind)
	}
	if s.ActionName != "" {
		name = s.ActionName
	}
	tail := p[slices.IndexFunc(p, func(kv Param) bool { return kv.Key == "cookie" })+1 : len(p)-1]
	if !slices.Equal(tail, want) || get(t, p, "action_name") != name {
		t.Fatalf("visit %d hit %d: %v named %q, want %v named %q", v.Index, i, tail, get(t, p, "action_name"), want, name)
	}
}

// TestFunnelInvariants: funnel visits keep every invariant of random visits
// (checkVisit), with the funnel's own steps checked exactly.
func TestFunnelInvariants(t *testing.T) {
	now := time.Date(2025, 6, 30, 23, 59, 59, 0, time.UTC)
	every := everyStepFunnel()
	every.Probability = 0.5
	goOn := everyStepFunnel()
	goOn.Name, goOn.Probability, goOn.Priority, goOn.ExitAfterCompletion = "every step, then browse", 0.5, 1, false
	for name, cfg := range map[string]*Config{
		"templates":                     funnelConfig(templateFunnels()...),
		"every step, exit or browse on": funnelConfig(every, goOn),
		"direct, no geo, own pages": func() *Config {
			c := funnelConfig(every, goOn)
			c.Direct, c.Search, c.Social, c.Referral = 1, 0, 0, 0
			c.Geo = false
			c.Pages = []catalog.Page{{URL: "http://shop.test:8080/a", Title: "A"}, {URL: "http://shop.test:8080/b?x=1", Title: "B"}}
			return c
		}(),
		"ecommerce off, one-page browsing, no pause": func() *Config {
			c := funnelConfig(every, goOn)
			c.Ecommerce = nil
			c.PageviewsMin, c.PageviewsMax = 1, 1
			c.PauseMin, c.PauseMax = 0, 0
			return c
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			if err := cfg.Check(); err != nil {
				t.Fatal(err)
			}
			funnels := map[string]int{}
			for i := range uint64(3000) {
				v := Generate(cfg, 5, i)
				checkVisit(t, cfg, v)
				v.StampEnd(now)
				checkStamped(t, v, now)
				funnels[v.Funnel]++
			}
			if len(funnels) != len(cfg.Funnels)+1 {
				t.Errorf("visits by funnel %v: want every funnel and random visits", funnels)
			}
		})
	}
}
