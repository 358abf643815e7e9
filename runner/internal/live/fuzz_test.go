package live

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// oneTarget is a Source with label values taken from the fuzzer.
type oneTarget struct {
	target, kind, status, errKind, health, policy, scenario string
}

func (o oneTarget) Run() RunState { return RunState{Scenario: o.scenario, RunID: "r", Seed: 1} }

func (o oneTarget) Targets() []TargetState {
	c := metrics.Counters{
		Visits: 5, HitsByKind: map[string]int64{o.kind: 2}, Status: map[string]int64{o.status: 3},
		Errors: map[string]metrics.Error{o.errKind: {Count: 1}},
	}
	return []TargetState{{Name: o.target, Health: o.health, Snapshot: metrics.Snapshot{Counters: c}}}
}

func (o oneTarget) Policies() []PolicyState {
	return []PolicyState{{Policy: o.policy, Target: o.target, Action: "warn", Fired: 1}}
}

// FuzzScrapeLabelValues: label values come from the scenario (names) and
// from targets (statuses, error classes). Whatever they hold, a scrape
// never panics: valid UTF-8 is served and parses back, anything else is a
// clear 500.
func FuzzScrapeLabelValues(f *testing.F) {
	f.Add("alpha", "pageview", "204", "http_4xx", "healthy", "slow", "shop")
	f.Add("", "", "", "", "", "", "")
	f.Add("a\"b\\c\nd", "beacon", "0", "network", "paused", "p{x}", "ünïcødé 🚦")
	f.Add("bad\xff", "pageview", "200", "e", "healthy", "p", "s")
	f.Fuzz(func(t *testing.T, target, kind, status, errKind, health, pol, scenario string) {
		c := &collector{}
		c.attach(oneTarget{target, kind, status, errKind, health, pol, scenario})
		rec := httptest.NewRecorder()
		newHandler(c).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, MetricsPath, nil))
		valid := true
		for _, s := range []string{target, kind, status, errKind, health, pol, scenario} {
			valid = valid && utf8.ValidString(s)
		}
		if !valid {
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("invalid UTF-8 served with %d", rec.Code)
			}
			return
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		p := expfmt.NewTextParser(model.UTF8Validation)
		mfs, err := p.TextToMetricFamilies(strings.NewReader(rec.Body.String()))
		if err != nil {
			t.Fatalf("exposition does not parse: %v", err)
		}
		visits := mfs["trafficinator_visits_total"].GetMetric()
		if len(visits) != 1 || visits[0].GetLabel()[0].GetValue() != target || visits[0].GetCounter().GetValue() != 5 {
			t.Fatalf("visits %v, want 5 for target %q", visits, target)
		}
	})
}

// FuzzMetricsRequest: whatever a client sends, the handler answers without
// panicking, and a GET of /metrics is served whatever its Accept headers.
func FuzzMetricsRequest(f *testing.F) {
	f.Add("GET", "/metrics", "text/plain", "gzip")
	f.Add("GET", "/metrics", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", "zstd")
	f.Add("GET", "/metrics", "application/openmetrics-text; version=1.0.0; escaping=allow-utf-8", "")
	f.Add("POST", "/../metrics", ";;;", "br;q=x")
	f.Add("GET", "/", "*/*", "identity")
	f.Fuzz(func(t *testing.T, method, path, accept, encoding string) {
		c := &collector{}
		c.attach(oneTarget{"t", "pageview", "204", "e", "healthy", "p", "s"})
		if !validMethod(method) {
			return
		}
		req := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}, Host: "127.0.0.1"}
		req.Header.Set("Accept", accept)
		req.Header.Set("Accept-Encoding", encoding)
		rec := httptest.NewRecorder()
		newHandler(c).ServeHTTP(rec, req)
		if method == http.MethodGet && path == MetricsPath && rec.Code != http.StatusOK {
			t.Fatalf("GET /metrics with Accept %q, Accept-Encoding %q: %d", accept, encoding, rec.Code)
		}
	})
}

// validMethod is a method net/http would accept from the wire.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, r := range m {
		if r < '!' || r > '~' || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return false
		}
	}
	return true
}
