package exec

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/pacing"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// factsJob is a visit of four hits at cdt 100, 130, 190 and 250 s whose
// third hit sends an order; its payloads are "<name>-<i>".
func factsJob(name string, f VisitFacts) Job {
	j := Job{UserAgent: "ua", Facts: f}
	for i, at := range []int64{100, 130, 190, 250} {
		h := JobHit{Payload: name + "-" + string(rune('0'+i)), Kind: kind.Pageview, At: at}
		if i == 2 {
			h.Kind, h.Order = kind.Order, 1
		}
		j.Hits = append(j.Hits, h)
	}
	return j
}

var order = OrderFacts{Items: 3, Revenue: 11990, Subtotal: 10000, Tax: 1000, Shipping: 990}

// TestSentCountsOnlyRecordedHits runs visits whose hits get different
// answers and checks the sent figures: a visit counts when one of its hits
// was answered ok, its duration runs from its first to its last ok hit,
// its order counts when the order's own hit was ok; unknown, failed and
// rejected hits count for nothing.
func TestSentCountsOnlyRecordedHits(t *testing.T) {
	answers := map[string]kind.Result{
		"b-3": {Hits: 1, Unknown: 1},  // b: ok up to the order; the ping unknown
		"c-0": {Hits: 1, Rejected: 1}, // c: first hit refused, the rest ok
		"d-0": {Hits: 1, Failed: 1},   // d: nothing recorded (cut after the failure)
		"e-2": {Hits: 1, Unknown: 1},  // e: the order's hit unknown
	}
	answer := func(qs []string) kind.Result {
		if r, ok := answers[qs[0]]; ok {
			return r
		}
		return kind.Result{Hits: len(qs), OK: len(qs)}
	}
	tgt := &Target{Name: "t", Sender: scriptSender{answer}, Recorder: metrics.NewRecorder(0, nil)}
	c := &Closed{Targets: []*Target{tgt}, Concurrency: 1}
	c.Start(context.Background())
	jobs := []Job{
		factsJob("a", VisitFacts{ReferrerType: "search", Country: "NL", Orders: []OrderFacts{order}}),
		factsJob("b", VisitFacts{ReferrerType: "social", Country: "NL", Orders: []OrderFacts{order}}),
		factsJob("c", VisitFacts{ReferrerType: "campaign", Returning: true, Orders: []OrderFacts{order}}),
		factsJob("d", VisitFacts{ReferrerType: "direct", Country: "JP"}),
		factsJob("e", VisitFacts{ReferrerType: "website", Country: "JP", Orders: []OrderFacts{order}}),
		// f: resumed; an earlier run recorded its hits up to cdt 130.
		factsJob("f", VisitFacts{ReferrerType: "search", Country: "DE", Counted: true, PriorLast: 130, Orders: []OrderFacts{order}}),
	}
	for _, j := range jobs {
		if err := c.Submit(context.Background(), context.Background(), 0, j, func(Delivery) {}); err != nil {
			t.Fatal(err)
		}
	}
	c.Drain()
	got := tgt.Recorder.Snapshot().Counters.Sent
	want := metrics.Sent{
		Visits: 4, UniqueVisitors: 3, // a b c e; c is a returning visitor
		// a 100..250, b 100..190 (the ping unknown), c 130..250, e 100..250, f 130 (prior)..250
		VisitDurationS: 150 + 90 + 120 + 150 + 120,
		Orders:         4, Items: 12, // a b c f
		RevenueCents: 4 * 11990, SubtotalCents: 40000, TaxCents: 4000, ShippingCents: 4 * 990,
		ReferrerTypes: map[string]int64{"search": 1, "social": 1, "campaign": 1, "website": 1},
		Countries:     map[string]int64{"NL": 2, "JP": 1},
		Campaigns:     1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sent\n got %+v\nwant %+v", got, want)
	}
}

// TestSentOnTheRealtimePath: the realtime executor (visitRun) keeps the
// outcomes of a visit's hits too, bulk or not.
func TestSentOnTheRealtimePath(t *testing.T) {
	for _, bulk := range []int{0, 10} {
		s := &fakeSender{}
		tgt := newTarget(s, bulk, 0)
		tgt.Build = func(n uint64, _ time.Time) Job {
			return factsJob("v", VisitFacts{ReferrerType: "direct", Country: "us", Orders: []OrderFacts{order}})
		}
		e := &Executor{Pacer: pacing.Constant(100, time.Second), Router: one{}, Targets: []*Target{tgt}, Concurrency: 200, Grace: WaitForAll}
		e.Run(context.Background())
		c := tgt.Recorder.Snapshot().Counters
		got := c.Sent
		// A loaded machine may drop a late arrival: every visit started
		// must count, with all four hits ok.
		n := c.Visits
		if n == 0 || c.OK != 4*n || c.Unsent != 0 {
			t.Fatalf("bulk %d: counters %+v", bulk, c)
		}
		if got.Visits != n || got.VisitDurationS != n*150 || got.Orders != n || got.RevenueCents != n*11990 || got.Countries["us"] != n {
			t.Errorf("bulk %d: sent %+v", bulk, got)
		}
	}
}
