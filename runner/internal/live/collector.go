package live

import (
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// Metric descriptions. Every counter is a whole-run total, so PromQL's
// rate() and increase() work as usual; a run starts them all at zero.
var (
	descVisits = prometheus.NewDesc("trafficinator_visits_total",
		"Visits started.", []string{"target"}, nil)
	descDropped = prometheus.NewDesc("trafficinator_visits_dropped_total",
		"Visits due while the concurrency cap was full, never started.", []string{"target"}, nil)
	descHits = prometheus.NewDesc("trafficinator_hits_total",
		"Tracking hits sent, by kind.", []string{"target", "kind"}, nil)
	descOutcome = prometheus.NewDesc("trafficinator_hits_outcome_total",
		"Planned hits by how they ended (docs/delivery.md): ok, rejected (4xx or invalid bulk entry), failed (provably not recorded: no connection, 429 or 5xx, after retries), unknown (sent, no answer known: Matomo may have recorded them), unsent (a started visit stopped first), dropped (the visit never started).",
		[]string{"target", "outcome"}, nil)
	descRequests = prometheus.NewDesc("trafficinator_requests_total",
		"HTTP requests made (a bulk request carries several hits), retries not counted apart.", []string{"target"}, nil)
	descResponses = prometheus.NewDesc("trafficinator_responses_total",
		"Requests by final HTTP status; status 0 is a network error.", []string{"target", "status"}, nil)
	descRetries = prometheus.NewDesc("trafficinator_retries_total",
		"Retried attempts.", []string{"target"}, nil)
	descErrors = prometheus.NewDesc("trafficinator_errors_total",
		"Requests that did not fully succeed, by error class.", []string{"target", "kind"}, nil)
	descLatency = prometheus.NewDesc("trafficinator_request_duration_seconds",
		"Request latency, retries included.", []string{"target"}, nil)
	descEnabled = prometheus.NewDesc("trafficinator_target_enabled",
		"1 while the target receives traffic, 0 once the preflight or a policy took it out.", []string{"target"}, nil)
	descHealth = prometheus.NewDesc("trafficinator_target_health",
		"1 for the target's current health (error rate over the last minute), 0 for the others.", []string{"target", "health"}, nil)
	descFired = prometheus.NewDesc("trafficinator_policy_fired_total",
		"Times a policy fired; target is empty for run-scope policies.", []string{"policy", "target", "action"}, nil)
	descHolding = prometheus.NewDesc("trafficinator_policy_holding",
		"1 while a policy's condition holds (it fires once it has held for its for: duration).", []string{"policy", "target"}, nil)
	descElapsed = prometheus.NewDesc("trafficinator_run_elapsed_seconds",
		"Time since the run started.", nil, nil)
	descInfo = prometheus.NewDesc("trafficinator_run_info",
		"Always 1; identifies the run.", []string{"scenario", "run_id", "seed"}, nil)
)

var allDescs = []*prometheus.Desc{
	descVisits, descDropped, descHits, descOutcome, descRequests, descResponses, descRetries, descErrors,
	descLatency, descEnabled, descHealth, descFired, descHolding, descElapsed, descInfo,
}

// healthStates are the values of the health label, every one emitted so
// that a state that ends shows as 0 instead of vanishing.
var healthStates = []string{metrics.HealthHealthy, metrics.HealthDegraded, metrics.HealthFailing, metrics.HealthUnknown}

// collector reads a Source at each scrape. Before a source is attached it
// exports nothing.
type collector struct {
	mu  sync.Mutex
	src Source
}

func (c *collector) attach(src Source) {
	c.mu.Lock()
	c.src = src
	c.mu.Unlock()
}

func (c *collector) source() Source {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.src
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	src := c.source()
	if src == nil {
		return
	}
	e := emitter{ch}
	run := src.Run()
	e.gauge(descElapsed, run.Elapsed.Seconds())
	e.gauge(descInfo, 1, run.Scenario, run.RunID, strconv.FormatUint(run.Seed, 10))
	for _, t := range src.Targets() {
		e.target(t)
	}
	for _, p := range src.Policies() {
		e.counter(descFired, float64(p.Fired), p.Policy, p.Target, p.Action)
		e.gauge(descHolding, bool01(p.Holding), p.Policy, p.Target)
	}
}

// emitter sends const metrics. A metric Prometheus refuses (a label value
// that is not UTF-8) becomes an invalid metric: the scrape reports it
// instead of the process panicking.
type emitter struct{ ch chan<- prometheus.Metric }

func (e emitter) send(m prometheus.Metric, err error, d *prometheus.Desc) {
	if err != nil {
		m = prometheus.NewInvalidMetric(d, err)
	}
	e.ch <- m
}

func (e emitter) counter(d *prometheus.Desc, v float64, labels ...string) {
	m, err := prometheus.NewConstMetric(d, prometheus.CounterValue, v, labels...)
	e.send(m, err, d)
}

func (e emitter) gauge(d *prometheus.Desc, v float64, labels ...string) {
	m, err := prometheus.NewConstMetric(d, prometheus.GaugeValue, v, labels...)
	e.send(m, err, d)
}

func (e emitter) target(t TargetState) {
	c := t.Snapshot.Counters
	n := t.Name
	e.counter(descVisits, float64(c.Visits), n)
	e.counter(descDropped, float64(c.Dropped), n)
	e.counter(descRequests, float64(c.Requests), n)
	e.counter(descRetries, float64(c.Retries), n)
	for _, kind := range withExtra(kind.HitKindNames(), c.HitsByKind) {
		e.counter(descHits, float64(c.HitsByKind[kind]), n, kind)
	}
	for _, o := range [...]struct {
		name string
		v    int64
	}{{"ok", c.OK}, {"rejected", c.Rejected}, {"failed", c.Failed}, {"unknown", c.Unknown}, {"unsent", c.Unsent}, {"dropped", c.DroppedHits}} {
		e.counter(descOutcome, float64(o.v), n, o.name)
	}
	for _, status := range slices.Sorted(maps.Keys(c.Status)) {
		e.counter(descResponses, float64(c.Status[status]), n, status)
	}
	for _, kind := range slices.Sorted(maps.Keys(c.Errors)) {
		e.counter(descErrors, float64(c.Errors[kind].Count), n, kind)
	}
	count, sum, buckets := latencyBuckets(t.Snapshot.Latency)
	h, err := prometheus.NewConstHistogram(descLatency, count, sum, buckets, n)
	e.send(h, err, descLatency)
	e.gauge(descEnabled, bool01(t.Enabled), n)
	for _, state := range withExtra(healthStates, map[string]bool{t.Health: true}) {
		e.gauge(descHealth, bool01(state == t.Health), n, state)
	}
}

// withExtra returns fixed followed by the keys of m it lacks, sorted.
func withExtra[V any](fixed []string, m map[string]V) []string {
	out := append([]string(nil), fixed...)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k != "" && !slices.Contains(fixed, k) {
			out = append(out, k)
		}
	}
	return out
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
