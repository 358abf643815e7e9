package runner_test

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/targets"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// TestHitParametersEndToEnd runs a few thousand visits through runner.Run
// to a sink on loopback, once sending one request per hit and once in bulk
// requests of 50 hits, and checks every hit the sink accepted against the
// visit model's rules.
func TestHitParametersEndToEnd(t *testing.T) {
	visits := 3000
	if testing.Short() {
		visits = 600
	}
	for _, bulk := range []int{0, 50} {
		t.Run(fmt.Sprintf("bulk=%d", bulk), func(t *testing.T) {
			s := startSink(t, loadtest.SinkConfig{Token: testToken, Capture: true})
			p := compile(t, scenarioYAML(scenarioSpec{URL: s.URL, Token: testToken, Bulk: bulk, Rate: "500/s", MaxVisits: visits, Concurrency: 2000, Geo: true}))
			rep, _ := run(t, context.Background(), p, exec.WaitForAll)
			c := rep.Total.Counters
			if rep.Run.StopReason != "max_visits" || c.Visits+c.Dropped != int64(visits) {
				t.Fatalf("stop %s, visits %d + dropped %d, want max_visits after %d", rep.Run.StopReason, c.Visits, c.Dropped, visits)
			}
			hits := s.Hits()
			// Visits dropped by a starved machine send nothing; every
			// started one sends all its hits.
			if int64(len(hits)) != c.OK || c.OK != c.Hits || c.Rejected+c.Failed != 0 {
				t.Fatalf("sink accepted %d hits; report %+v", len(hits), c)
			}
			byKind := checkVisits(t, loadtest.GroupVisits(hits), int(c.Visits), checkOpts{cip: true, bulkUA: bulk > 0})
			for k := range kind.NumHitKinds {
				if byKind[k] < 20 || byKind[k] != c.HitsByKind[k.String()] {
					t.Errorf("%s: sink saw %d hits, report says %d (want ≥ 20 for the test to mean something)", k, byKind[k], c.HitsByKind[k.String()])
				}
			}
			checkTransport(t, s, bulk)
			checkSinkClean(t, s.Stats(), c.Visits, int64(len(hits)))
		})
	}
}

// TestNoCipWithoutToken: geo asked for in traffic.features is turned off
// by the plan (with a warning) for a target without token_auth, so none of
// its hits carries cip and the sink, which would refuse cip without a
// token, answers every hit. (With no target that has a token, geo: true is
// a validation error; the second target, with a token, keeps geo honoured.)
func TestNoCipWithoutToken(t *testing.T) {
	s := startSink(t, loadtest.SinkConfig{Capture: true})
	withToken := startSink(t, loadtest.SinkConfig{Token: testToken})
	yaml := strings.Replace(scenarioYAML(scenarioSpec{URL: s.URL, MaxVisits: 300, Geo: true}), "traffic:\n",
		"  - name: tok\n    kind: matomo\n    url: "+withToken.URL+"\n    site_id: 1\n    token_auth: "+testToken+"\ntraffic:\n", 1)
	p := compile(t, yaml)
	if p.Targets[0].Features.Geo || !p.Targets[1].Features.Geo {
		t.Fatal("plan kept geo on for a target without token_auth, or turned it off for the one with a token")
	}
	warned := false
	for _, w := range p.Warnings {
		warned = warned || strings.Contains(w.Message, "geo (cip) is turned off")
	}
	if !warned {
		t.Errorf("no warning about geo in %v", p.Warnings)
	}
	rep, _ := run(t, context.Background(), p, exec.WaitForAll)
	hits := s.Hits()
	checkVisits(t, loadtest.GroupVisits(hits), int(rep.Targets[0].Counters.Visits), checkOpts{cip: false})
	if n := s.Stats().Rejected["cip_without_token"].Count; n != 0 {
		t.Errorf("sink refused %d hits for cip without token", n)
	}
	if s.TokenInURL() != 0 {
		t.Errorf("%d requests had token_auth in the URL", s.TokenInURL())
	}
	if len(hits) == 0 || int64(len(hits)) != rep.Targets[0].Counters.OK || rep.Total.Counters.Rejected != 0 {
		t.Errorf("sink accepted %d hits, report says %d OK, %d rejected in all", len(hits), rep.Targets[0].Counters.OK, rep.Total.Counters.Rejected)
	}
}

type checkOpts struct {
	cip    bool // every hit carries cip (geo on, with a token); else none does
	bulkUA bool // every hit carries ua (bulk mode); else none does
}

var cdtFormat = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)

// checkVisits checks each visit's hits in the order the sink got them and
// returns the hits by kind.
func checkVisits(t *testing.T, visits []loadtest.Visit, want int, o checkOpts) (byKind [kind.NumHitKinds]int64) {
	t.Helper()
	if len(visits) != want {
		t.Errorf("sink saw %d visitor ids, runner started %d visits", len(visits), want)
	}
	orders := map[string]bool{}
	errs := 0
	fail := func(v loadtest.Visit, format string, args ...any) {
		if errs++; errs <= 10 {
			t.Errorf("visit %s: %s", v.ID, fmt.Sprintf(format, args...))
		}
	}
	for _, v := range visits {
		var pvIDs []string // of the pageviews so far
		pageURL := ""
		for i, h := range v.Hits {
			p := h.Params
			k := loadtest.Kind(h)
			byKind[k]++
			for _, kv := range [][2]string{{"idsite", "1"}, {"rec", "1"}, {"apiv", "1"}, {"send_image", "0"}} {
				if got := p.Get(kv[0]); got != kv[1] {
					fail(v, "hit %d: %s=%q, want %q", i, kv[0], got, kv[1])
				}
			}
			if p.Has("token_auth") && p.Get("token_auth") != testToken {
				fail(v, "hit %d: unexpected token_auth value", i)
			}
			if (i == 0) != (p.Get("new_visit") == "1") || (i == 0 && k != kind.Pageview) {
				fail(v, "hit %d (%s): new_visit=%q; only the first hit, a pageview, has new_visit=1", i, k, p.Get("new_visit"))
			}
			if p.Has("cip") != o.cip {
				fail(v, "hit %d: cip present %v, want %v", i, p.Has("cip"), o.cip)
			}
			if p.Has("ua") != o.bulkUA {
				fail(v, "hit %d: ua present %v, want %v", i, p.Has("ua"), o.bulkUA)
			}
			checkCDT(t, h, func(f string, a ...any) { fail(v, "hit %d: "+f, append([]any{i}, a...)...) })
			if o.cip {
				checkClock(h, func(f string, a ...any) { fail(v, "hit %d: "+f, append([]any{i}, a...)...) })
			}
			switch k {
			case kind.Pageview:
				pvIDs = append(pvIDs, p.Get("pv_id"))
				pageURL = p.Get("url")
				for _, prev := range pvIDs[:len(pvIDs)-1] {
					if prev == p.Get("pv_id") {
						fail(v, "hit %d: pv_id %s repeats within the visit", i, prev)
					}
				}
			case kind.Ping:
				if i != len(v.Hits)-1 {
					fail(v, "ping is hit %d of %d, not the last", i, len(v.Hits))
				}
				if len(pvIDs) == 0 || p.Get("pv_id") != pvIDs[len(pvIDs)-1] {
					fail(v, "ping pv_id %q, last pageview's is %v", p.Get("pv_id"), pvIDs)
				}
				if p.Has("action_name") || p.Has("urlref") || p.Has("ca") {
					fail(v, "ping carries action_name, urlref or ca: %v", p)
				}
			default: // an action: never on the first page
				if len(pvIDs) < 2 {
					fail(v, "hit %d: %s on the first page of the visit", i, k)
				} else if p.Get("pv_id") != pvIDs[len(pvIDs)-1] || p.Get("url") != pageURL {
					fail(v, "hit %d: %s has pv_id %s url %s, its page has %s %s", i, k, p.Get("pv_id"), p.Get("url"), pvIDs[len(pvIDs)-1], pageURL)
				}
				if k == kind.Order {
					id := p.Get("ec_id")
					if orders[id] {
						fail(v, "ec_id %s repeats", id)
					}
					orders[id] = true
					checkOrderTotals(p.Get("revenue"), p.Get("ec_st"), p.Get("ec_tx"), p.Get("ec_sh"), func(f string, a ...any) { fail(v, f, a...) })
					if !strings.HasPrefix(id, "e2etest-") {
						fail(v, "ec_id %q does not start with the run id", id)
					}
				}
			}
		}
		if n := len(v.Hits); n == 0 || loadtest.Kind(v.Hits[n-1]) != kind.Ping {
			fail(v, "does not end with a ping")
		}
	}
	return byKind
}

// checkCDT: "YYYY-MM-DD HH:MM:SS" in UTC and not after the moment the sink
// received the hit.
func checkCDT(t *testing.T, h loadtest.Hit, fail func(string, ...any)) {
	raw := h.Params.Get("cdt")
	if !cdtFormat.MatchString(raw) {
		fail("cdt %q is not YYYY-MM-DD HH:MM:SS", raw)
		return
	}
	at, err := loadtest.CDT(h)
	if err != nil {
		fail("cdt %q: %v", raw, err)
		return
	}
	if at.After(h.Received) {
		fail("cdt %s is after the moment the sink received it (%s)", raw, h.Received.UTC().Format("15:04:05.000"))
	}
}

// checkClock: h, m and s are the hit's cdt on the clock of the main
// timezone of the country of its cip.
func checkClock(h loadtest.Hit, fail func(string, ...any)) {
	ip, err := netip.ParseAddr(h.Params.Get("cip"))
	country, ok := targets.CountryOf(ip)
	at, err2 := loadtest.CDT(h)
	if err != nil || !ok || err2 != nil {
		fail("cip %q, cdt %q: no country or time", h.Params.Get("cip"), h.Params.Get("cdt"))
		return
	}
	local := at.In(targets.Zone(country))
	if got, want := h.Params.Get("h")+":"+h.Params.Get("m")+":"+h.Params.Get("s"),
		fmt.Sprintf("%d:%d:%d", local.Hour(), local.Minute(), local.Second()); got != want {
		fail("h:m:s %s, want %s (cdt %s in %s)", got, want, h.Params.Get("cdt"), country)
	}
}

// checkOrderTotals: revenue = ec_st + ec_tx + ec_sh exactly, in cents, each
// written with two decimals.
func checkOrderTotals(revenue, st, tx, sh string, fail func(string, ...any)) {
	var c [4]int64
	for i, s := range []string{revenue, st, tx, sh} {
		n, ok := cents(s)
		if !ok {
			fail("order amount %q is not a two-decimal number", s)
			return
		}
		c[i] = n
	}
	if c[0] != c[1]+c[2]+c[3] || c[1] <= 0 {
		fail("revenue %s != ec_st %s + ec_tx %s + ec_sh %s", revenue, st, tx, sh)
	}
}

func cents(s string) (int64, bool) {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 {
		return 0, false
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || w > math.MaxInt64/100-1 {
		return 0, false
	}
	return w*100 + f, true
}

// checkTransport: the token travels in every POST body and never in a URL.
func checkTransport(t *testing.T, s *loadtest.Sink, bulk int) {
	t.Helper()
	if s.Requests() == 0 || s.TokenInURL() != 0 || s.TokenNotInBody() != 0 {
		t.Errorf("%d requests: %d with token_auth in the URL, %d without the token in the body", s.Requests(), s.TokenInURL(), s.TokenNotInBody())
	}
	st := s.Stats()
	if bulk > 0 && st.BulkRequests != st.Requests {
		t.Errorf("bulk mode: %d of %d requests were bulk", st.BulkRequests, st.Requests)
	}
	if bulk == 0 && (st.BulkRequests != 0 || st.Requests != st.Hits) {
		t.Errorf("single mode: %d requests for %d hits, %d bulk", st.Requests, st.Hits, st.BulkRequests)
	}
}

// checkSinkClean: the generator satisfies every sink rule, the sink
// answers no 400, and it counts the visits the runner started.
func checkSinkClean(t *testing.T, st targets.SinkStats, visits, hits int64) {
	t.Helper()
	for name, r := range st.Rules {
		if r.Count != 0 {
			t.Errorf("rule %s broken %d times, e.g. %s", name, r.Count, r.Example)
		}
	}
	for name, r := range st.Rejected {
		if r.Count != 0 {
			t.Errorf("%d hits rejected (%s), e.g. %s", r.Count, name, r.Example)
		}
	}
	for name, n := range st.Excluded {
		if n != 0 {
			t.Errorf("%d hits excluded (%s)", n, name)
		}
	}
	if n := st.Adjusted["cdt_future"]; n != 0 {
		t.Errorf("%d hits had a cdt in the future", n)
	}
	if st.Responses["400"] != 0 || st.Invalid != 0 || st.Recorded != hits {
		t.Errorf("responses %v, invalid %d, recorded %d of %d", st.Responses, st.Invalid, st.Recorded, hits)
	}
	if got := st.Sites[0].Visits; got != visits {
		t.Errorf("sink counted %d visits, runner started %d", got, visits)
	}
}
