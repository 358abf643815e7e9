package report_test

import (
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

const (
	digestA = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	digestB = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// request i of a deterministic stream: latencies spread from 1 µs to
// 250 ms, every ninth request fails with a 500, every fifth is an event.
func request(i int) metrics.Request {
	q := metrics.Request{Status: 204, OK: 1, Attempts: 1, Latency: time.Duration(1+(i*7919)%250000) * time.Microsecond}
	k := kind.Pageview
	if i%5 == 0 {
		k = kind.Event
	}
	q.Hits[k] = 1
	if i%9 == 0 {
		q.Status, q.OK, q.Failed, q.Attempts = 500, 0, 1, 3
		q.ErrKind, q.ErrMsg = "http_5xx", "HTTP 500"
	}
	return q
}

// fill records requests [from, to) whose index keep accepts, with a visit
// per third request.
func fill(r *metrics.Recorder, from, to int, keep func(int) bool) {
	for i := from; i < to; i++ {
		if !keep(i) {
			continue
		}
		r.RecordRequest(request(i))
		if i%3 == 0 {
			r.RecordVisit()
			r.RecordSent(sentVisit(i))
		}
	}
}

// sentVisit i of a deterministic stream: every visit but each seventh
// recorded, every fourth from search (the others direct), countries
// alternating US and DE, every tenth with an order.
func sentVisit(i int) metrics.SentVisit {
	v := metrics.SentVisit{Recorded: i%7 != 0, NewVisitor: true, ReferrerType: "direct", Country: "us", DurationS: int64(i % 100)}
	if i%4 == 0 {
		v.ReferrerType = "search"
	}
	if i%2 == 0 {
		v.Country = "de"
	}
	if i%10 == 0 {
		v.Orders, v.Items, v.Revenue, v.Subtotal, v.Tax, v.Shipping = 1, 2, 1150, 1000, 100, 50
	}
	return v
}

type named struct {
	name string
	rec  *metrics.Recorder
}

// reportFrom builds a report as the runner does, from recorders.
func reportFrom(id, digest string, start time.Time, dur time.Duration, targets ...named) *report.Report {
	r := &report.Report{
		Version:  report.Version,
		Scenario: report.ScenarioInfo{Name: "merge", File: "merge.yaml", Digest: digest},
		Run: report.RunInfo{ID: id, Seed: 1, Mode: "realtime", Start: start, End: start.Add(dur), DurationS: dur.Seconds(),
			StopReason: "completed", Outcome: "passed", PlannedVisits: 100, PlannedRate: 10, AchievedRate: 9.5},
		Policies: []gates.Firing{}, PoliciesDefined: []report.PolicyDef{},
	}
	var total metrics.Snapshot
	for _, t := range targets {
		s := t.rec.Snapshot()
		total.Merge(s)
		rt := report.TargetFrom(t.name, s)
		rt.Kind, rt.Share, rt.Health = "sink", 1/float64(len(targets)), metrics.HealthHealthy
		rt.Series = []report.Point{{T: 10.002, Visits: s.Counters.Visits, Hits: s.Counters.Hits, Errors: s.Counters.ErrorCount(), P95Ms: s.Percentile(95)}}
		rt.Planned = report.Comparison{Visits: report.Pair{Planned: 50, Achieved: float64(s.Counters.Visits)},
			Rate: report.Pair{Planned: 5, Achieved: 4.75}, HitsByKind: map[string]report.Pair{"pageview": {Planned: 40, Achieved: 39}}}
		r.Targets = append(r.Targets, rt)
	}
	if total.Latency == nil {
		total.Merge(metrics.Snapshot{})
	}
	r.Total = report.TargetFrom("total", total)
	r.Total.Share = 1
	r.Total.Series = []report.Point{}
	r.Total.Planned = report.Comparison{HitsByKind: map[string]report.Pair{}}
	return r
}

func newRec() *metrics.Recorder { return metrics.NewRecorder(time.Minute, nil) }

func all(int) bool    { return true }
func even(i int) bool { return i%2 == 0 }
func odd(i int) bool  { return i%2 == 1 }
