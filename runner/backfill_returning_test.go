package runner

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// TestBackfillReturningVisitors runs a seeded backfill of 20,000 visits
// with traffic.returning: 0.3 to the sink and checks, on what the sink
// got (the same stream as the plan regenerated visit by visit):
//   - the share of returning visits among those that have a visit of the
//     day before to return from is within 3 standard errors of 0.3, and
//     the share among all visits within 3 of what the plan shows;
//   - a visitor's visits carry the same _id, cip and user agent, number
//     themselves 1, 2, 3 … in _idvc, send the previous visit's start as
//     _viewts, and start at least 30 minutes after the previous visit's
//     last hit;
//   - the visitors are as many as the plan's expected unique visitors,
//     within 3 standard errors.
func TestBackfillReturningVisitors(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 visits")
	}
	const share = 0.3
	c := startCapture(t, "Europe/Stockholm")
	yaml := bfScenario(bfSpec{Targets: []string{c.url}, Window: "from: 2026-10-01, to: 2026-10-10", PerDay: "2000", Bulk: 200, Concurrency: 64, Uniform: true})
	yaml = strings.Replace(yaml, "traffic:\n", "traffic:\n  returning: 0.3\n", 1)
	yaml = strings.Replace(yaml, "    ecommerce: {probability: 0.4}\n", "    ecommerce: {probability: 0.4}\n    geo: true\n", 1)
	p := bfCompile(t, yaml, bfClock)
	rep := runBF(t, context.Background(), p, Options{RunID: "back"})
	planned := regenerate(t, p, "back", time.Now())
	if got, want := streamHash(paramsOf(c.all())), streamHash(plannedParams(t, planned)); got != want {
		t.Fatalf("the sink's hit stream is not the plan's")
	}
	if len(planned) != 20000 {
		t.Fatalf("%d visits, want 20000", len(planned))
	}

	dayVisits := map[uint64]int64{}
	for _, d := range p.Backfill.Days {
		dayVisits[d.First/plan.DayStride] = d.Visits
	}
	eligible, eligibleBack, back := 0, 0, 0
	byVisitor := map[string][]*visit.Visit{}
	for _, pv := range planned {
		v := pv.v
		day, k := v.Index/plan.DayStride, int64(v.Index%plan.DayStride)
		if n, ok := dayVisits[day-1]; ok && k < n {
			eligible++
			if v.VisitCount > 1 {
				eligibleBack++
			}
		}
		if v.VisitCount > 1 {
			back++
		}
		byVisitor[v.VisitorID] = append(byVisitor[v.VisitorID], v)
	}
	t.Logf("%d visits, %d returning (%d of %d that could), %d visitors; the plan: share %.4f, %.0f visitors", len(planned), back, eligibleBack, eligible, len(byVisitor), p.Expected.ReturningShare, p.Expected.UniqueVisitors)
	shareWithin3SE(t, "returning share of visits with a visit the day before", eligibleBack, eligible, share)
	shareWithin3SE(t, "returning share of all visits (the plan's)", back, len(planned), p.Expected.ReturningShare)
	if d := math.Abs(float64(len(byVisitor)) - p.Expected.UniqueVisitors); d > 3*math.Sqrt(float64(len(planned))*share*(1-share)) {
		t.Errorf("%d visitors, the plan expects %.0f", len(byVisitor), p.Expected.UniqueVisitors)
	}
	// The report's sent figures count a visitor once: its first visit.
	if s := rep.Total.Counters.Sent; s.Visits != int64(len(planned)) || s.UniqueVisitors != int64(len(byVisitor)) {
		t.Errorf("report: sent %+v, want %d visits from %d unique visitors", s, len(planned), len(byVisitor))
	}

	for id, vs := range byVisitor {
		sort.Slice(vs, func(i, j int) bool { return vs[i].Start.Before(vs[j].Start) })
		for n, v := range vs {
			first := v.Hits[0].Params
			if got, _ := first.Get("_id"); got != id {
				t.Fatalf("visitor %s: visit %d sends _id %s", id, v.Index, got)
			}
			idvc, hasIDVC := first.Get("_idvc")
			if n == 0 {
				if hasIDVC {
					t.Errorf("visitor %s: first visit %d sends _idvc %s", id, v.Index, idvc)
				}
				continue
			}
			prev := vs[n-1]
			if v.UserAgent != prev.UserAgent || v.IP != prev.IP || v.Lang != prev.Lang || v.Plugins != prev.Plugins {
				t.Fatalf("visitor %s: visit %d has another fingerprint than visit %d", id, v.Index, prev.Index)
			}
			if idvc != strconv.Itoa(n+1) {
				t.Fatalf("visitor %s: visit %d (its %d.) sends _idvc %q", id, v.Index, n+1, idvc)
			}
			for _, h := range v.Hits {
				if ts, _ := h.Params.Get("_viewts"); ts != strconv.FormatInt(prev.Start.Unix(), 10) {
					t.Fatalf("visitor %s: visit %d sends _viewts %s, the previous visit started at %d", id, v.Index, ts, prev.Start.Unix())
				}
				if cip, _ := h.Params.Get("cip"); cip != "" && cip != prev.IP.String() {
					t.Fatalf("visitor %s: visit %d sends cip %s, not %s", id, v.Index, cip, prev.IP)
				}
			}
			if gap := v.Start.Sub(prev.Start.Add(prev.Duration)); gap < visit.MinReturnGap {
				t.Fatalf("visitor %s: visit %d starts %v after the last hit of visit %d", id, v.Index, gap, prev.Index)
			}
		}
	}
}

// shareWithin3SE fails when the observed share of k events in n trials is
// more than 3 binomial standard errors from p.
func shareWithin3SE(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	got := float64(k) / float64(n)
	se := math.Sqrt(p * (1 - p) / float64(n))
	if math.Abs(got-p) > 3*se {
		t.Errorf("%s: %.5f observed over %d, expected %.5f (3 SE = %.5f)", what, got, n, p, 3*se)
	}
}
