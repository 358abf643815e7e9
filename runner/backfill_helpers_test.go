package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/route"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets"
)

// bfToken is the token_auth of the backfill test targets: a cdt older than
// a day needs one.
const bfToken = "0123456789abcdef0123456789abcdef"

// bfClock is "now" for the backfill tests whose window lies in the past,
// so that they do not depend on the day they run.
func bfClock() time.Time { return time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) }

// bfSpec fills bfScenario; zero values take the defaults noted.
type bfSpec struct {
	Targets     []string // endpoint URLs, one kind: matomo target each
	Timezone    string   // default Europe/Stockholm
	Window      string   // YAML of the window, e.g. "from: 2026-10-24, to: 2026-10-26"
	PerDay      string   // visits_per_day YAML; default 100
	RPS         float64  // 0 leaves rps out
	Uniform     bool     // hourly_weights: 24 × 1
	Concurrency int      // default 50
	Bulk        int
	Seed        int // default 5
	Duration    string
	Routing     string // "" leaves routing out (weighted)
}

// bfScenario writes a backfill scenario. Every optional action is likely
// (with ecommerce, so that order ids take part in the comparisons).
func bfScenario(s bfSpec) string {
	if s.Timezone == "" {
		s.Timezone = "Europe/Stockholm"
	}
	if s.PerDay == "" {
		s.PerDay = "100"
	}
	if s.Concurrency == 0 {
		s.Concurrency = 50
	}
	if s.Seed == 0 {
		s.Seed = 5
	}
	if s.Duration == "" {
		s.Duration = "{min: 30s, max: 20m}"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: {name: backfill-test}\nrun:\n")
	fmt.Fprintf(&b, "  mode: backfill\n  timezone: %s\n  seed: %d\n  concurrency: %d\n", s.Timezone, s.Seed, s.Concurrency)
	fmt.Fprintf(&b, "  backfill: {%s, visits_per_day: %s", s.Window, s.PerDay)
	if s.RPS > 0 {
		fmt.Fprintf(&b, ", rps: %g", s.RPS)
	}
	if s.Uniform {
		b.WriteString(", hourly_weights: [" + strings.TrimSuffix(strings.Repeat("1, ", 24), ", ") + "]")
	}
	b.WriteString("}\n")
	if s.Routing != "" {
		fmt.Fprintf(&b, "routing: %s\n", s.Routing)
	}
	b.WriteString("targets:\n")
	for i, u := range s.Targets {
		fmt.Fprintf(&b, "  - {name: t%d, kind: matomo, url: %q, site_id: 1, token_auth: %s", i, u, bfToken)
		if s.Bulk > 0 {
			fmt.Fprintf(&b, ", bulk: %d", s.Bulk)
		}
		b.WriteString("}\n")
	}
	fmt.Fprintf(&b, "traffic:\n  pageviews: {min: 1, max: 6}\n  visit_duration: %s\n", s.Duration)
	b.WriteString(`  features:
    site_search: {probability: 0.5}
    outlinks: {probability: 0.5}
    downloads: {probability: 0.5}
    click_events: {probability: 0.5}
    random_events: {probability: 0.5}
    ecommerce: {probability: 0.4}
`)
	return b.String()
}

// bfCompile validates and compiles a scenario with the clock now (nil:
// the real one).
func bfCompile(t testing.TB, yaml string, now func() time.Time) *plan.Plan {
	t.Helper()
	res := scenario.Load("backfill.yaml", []byte(yaml), scenario.Options{
		Lookup: func(string) (string, bool) { return "", false }, Now: now,
	})
	if !res.Valid() {
		var msgs []string
		for _, d := range res.Diags {
			if d.Severity == scenario.SeverityError {
				msgs = append(msgs, fmt.Sprintf("%d:%d %s: %s", d.Line, d.Column, d.Path, d.Message))
			}
		}
		t.Fatalf("invalid scenario: %s\n%s", strings.Join(msgs, "; "), yaml)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if p.Backfill == nil {
		t.Fatal("the plan has no backfill")
	}
	return p
}

// gotHit is one hit as the sink accepted it.
type gotHit struct {
	params url.Values
	at     time.Time // when the sink received it
}

// capture is a sink on a loopback httptest server that keeps every hit it
// answers as a success, in arrival order.
type capture struct {
	sink *targets.Sink
	url  string

	mu   sync.Mutex
	hits []gotHit
	// hook, when set, sees each hit after it is kept (under mu).
	hook func(gotHit)
}

// startCapture starts a capturing sink for site 1 in timezone tz, with the
// test token.
func startCapture(t testing.TB, tz string) *capture {
	t.Helper()
	return startCaptureWith(t, tz, targets.SinkFaults{})
}

// startCaptureWith is startCapture with faults.
func startCaptureWith(t testing.TB, tz string, faults targets.SinkFaults) *capture {
	t.Helper()
	c := &capture{}
	s, err := targets.NewSink(targets.SinkOptions{
		Sites:  []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}, Timezone: tz}},
		Faults: faults,
		OnHit: func(_ int, p url.Values) {
			h := gotHit{params: p, at: time.Now()}
			c.mu.Lock()
			defer c.mu.Unlock()
			c.hits = append(c.hits, h)
			if c.hook != nil {
				c.hook(h)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c.sink, c.url = s, srv.URL+"/matomo.php"
	return c
}

// all returns the hits kept so far.
func (c *capture) all() []gotHit {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]gotHit(nil), c.hits...)
}

// setHook installs the hook under the lock.
func (c *capture) setHook(f func(gotHit)) {
	c.mu.Lock()
	c.hook = f
	c.mu.Unlock()
}

// cdtOf parses a hit's cdt or fails the test.
func cdtOf(t testing.TB, p url.Values) time.Time {
	t.Helper()
	v := p.Get("cdt")
	ts, err := time.ParseInLocation(visit.CDTLayout, v, time.UTC)
	if err != nil {
		t.Fatalf("hit without a valid cdt %q: %v", v, err)
	}
	return ts
}

// canonical is a hit's parameters as a sorted query string, without the
// token (added by the transport) and ua (added to bulk entries only).
func canonical(p url.Values) string {
	q := url.Values{}
	for k, v := range p {
		if k != "token_auth" && k != "ua" {
			q[k] = v
		}
	}
	return q.Encode()
}

// plannedVisit is a visit of the plan, regenerated as the runner makes it.
type plannedVisit struct {
	date   string
	target int
	v      *visit.Visit
}

// regenerate makes every visit of the plan as runBackfill does: the same
// configs, routing and placement, so that what the sink got can be checked
// against it visit by visit. Placement uses notAfter; for a window in the
// past any later instant gives the same result.
func regenerate(t testing.TB, p *plan.Plan, runID string, notAfter time.Time) []plannedVisit {
	t.Helper()
	pages, err := loadPages(p)
	if err != nil {
		t.Fatal(err)
	}
	var cfgs []*visit.Config
	var weights []float64
	for i := range p.Targets {
		cfg, err := visitConfig(p, &p.Targets[i], pages, runID)
		if err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, cfg)
		weights = append(weights, p.Targets[i].Weight)
	}
	r, err := route.New(p.Routing, weights, p.Seed)
	if err != nil {
		t.Fatal(err)
	}
	var out []plannedVisit
	for _, day := range p.Backfill.Days {
		for i := int64(0); i < day.Visits; i++ {
			ti := r.Next()
			v := visit.Generate(cfgs[ti], p.Seed, day.First+uint64(i))
			if err := placeVisit(day, v, p.Seed, notAfter); err != nil {
				t.Fatalf("visit %d of %s: %v", v.Index, day.Date, err)
			}
			out = append(out, plannedVisit{date: day.Date, target: ti, v: v})
		}
	}
	return out
}

// byVisitor maps visitor ids to the date their visit was planned for; the
// ids of a plan must be distinct for the sink's hits to be attributed.
func byVisitor(t testing.TB, visits []plannedVisit) map[string]string {
	t.Helper()
	out := make(map[string]string, len(visits))
	for _, pv := range visits {
		if d, dup := out[pv.v.VisitorID]; dup {
			t.Fatalf("visitor id %s planned twice (%s and %s)", pv.v.VisitorID, d, pv.date)
		}
		out[pv.v.VisitorID] = pv.date
	}
	return out
}

// streamHash is the sha256 of hits ordered by visitor id, then by their
// order within the visit (as received), each in canonical form. Visits
// sent in parallel interleave; each visit's own hits are sent in order.
func streamHash(hits []url.Values) string {
	type keyed struct {
		id  string
		seq int
		q   string
	}
	seq := map[string]int{}
	ks := make([]keyed, len(hits))
	for i, h := range hits {
		id := h.Get("_id")
		ks[i] = keyed{id, seq[id], canonical(h)}
		seq[id]++
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].id != ks[j].id {
			return ks[i].id < ks[j].id
		}
		return ks[i].seq < ks[j].seq
	})
	sum := sha256.New()
	for _, k := range ks {
		sum.Write([]byte(k.q))
		sum.Write([]byte{'\n'})
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// plannedParams lists the hits of visits in send order, as url.Values.
func plannedParams(t testing.TB, visits []plannedVisit) []url.Values {
	t.Helper()
	var out []url.Values
	for _, pv := range visits {
		for _, h := range pv.v.Hits {
			q, err := url.ParseQuery(targets.MatomoQuery(h.Params))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, q)
		}
	}
	return out
}

func paramsOf(hits []gotHit) []url.Values {
	out := make([]url.Values, len(hits))
	for i, h := range hits {
		out[i] = h.params
	}
	return out
}
