package live_test

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// fakeSource shows fixed run and policy states and, for each target, what
// its recorder holds at the time of the scrape.
type fakeSource struct {
	mu       sync.Mutex
	run      live.RunState
	targets  []fakeTarget
	policies []live.PolicyState
	// policyState, when set, replaces policies: a live engine's state.
	policyState func() []live.PolicyState
}

type fakeTarget struct {
	name     string
	enabled  bool
	health   string
	recorder *metrics.Recorder
	snapshot metrics.Snapshot // shown when recorder is nil
}

func (f *fakeSource) Run() live.RunState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.run
}

func (f *fakeSource) Targets() []live.TargetState {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []live.TargetState
	for _, t := range f.targets {
		snap := t.snapshot
		if t.recorder != nil {
			snap = t.recorder.Snapshot()
		}
		out = append(out, live.TargetState{Name: t.name, Enabled: t.enabled, Health: t.health, Snapshot: snap})
	}
	return out
}

func (f *fakeSource) Policies() []live.PolicyState {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.policyState != nil {
		return f.policyState()
	}
	return append([]live.PolicyState(nil), f.policies...)
}

// serve starts a metrics server on a free loopback port, stopped at the
// end of the test.
func serve(t testing.TB, src live.Source) *live.Server {
	t.Helper()
	s, err := live.Serve("127.0.0.1:0", src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return s
}

// scrape GETs url and returns every sample whose name starts with
// trafficinator_, keyed by key().
func scrape(t testing.TB, url string) map[string]float64 {
	t.Helper()
	s, err := fetch(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fetch is scrape for goroutines other than the test's.
func fetch(url string) (map[string]float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s\n%s", url, resp.Status, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		return nil, fmt.Errorf("content type %q, want the text exposition", ct)
	}
	mfs, err := parseText(string(body))
	if err != nil {
		return nil, fmt.Errorf("parse exposition: %v\n%s", err, body)
	}
	out := map[string]float64{}
	for name, v := range flatten(mfs) {
		if strings.HasPrefix(name, "trafficinator_") {
			out[name] = v
		}
	}
	return out, nil
}

func parseText(s string) (map[string]*dto.MetricFamily, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(strings.NewReader(s))
}

// flatten turns metric families into one value per series, histograms
// split into _bucket, _sum and _count as PromQL sees them.
func flatten(mfs map[string]*dto.MetricFamily) map[string]float64 {
	out := map[string]float64{}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, lp := range m.GetLabel() {
				labels = append(labels, lp.GetName(), lp.GetValue())
			}
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				out[key(name, labels...)] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[key(name, labels...)] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				for _, b := range h.GetBucket() {
					out[key(name+"_bucket", append(labels, "le", fmt.Sprint(b.GetUpperBound()))...)] = float64(b.GetCumulativeCount())
				}
				out[key(name+"_bucket", append(labels, "le", "+Inf")...)] = float64(h.GetSampleCount())
				out[key(name+"_sum", labels...)] = h.GetSampleSum()
				out[key(name+"_count", labels...)] = float64(h.GetSampleCount())
			default:
				out[key(name, labels...)] = m.GetUntyped().GetValue()
			}
		}
	}
	return out
}

// key names one series: name{a="x",b="y"} with labels sorted by name.
// Empty label values are left out, as Prometheus treats them as absent.
func key(name string, labels ...string) string {
	var pairs []string
	for i := 0; i+1 < len(labels); i += 2 {
		if labels[i+1] != "" {
			pairs = append(pairs, fmt.Sprintf("%s=%q", labels[i], labels[i+1]))
		}
	}
	sort.Strings(pairs)
	return name + "{" + strings.Join(pairs, ",") + "}"
}

// request is a recorded request: hits of one kind, each ending as outcome.
func request(kind kind.HitKind, hits int, outcome string, status, attempts int, latencyUS int64, errKind string) metrics.Request {
	q := metrics.Request{Status: status, Attempts: attempts, ErrKind: errKind}
	q.Hits[kind] = int32(hits)
	switch outcome {
	case "ok":
		q.OK = hits
	case "rejected":
		q.Rejected = hits
	case "failed":
		q.Failed = hits
	}
	q.Latency = timeMicros(latencyUS)
	if errKind != "" {
		q.ErrMsg = "example"
	}
	return q
}

func timeMicros(us int64) time.Duration { return time.Duration(us) * time.Microsecond }
