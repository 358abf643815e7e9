package runner_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// Fault-injection acceptance tests of the delivery semantics in realtime
// mode (docs/delivery.md): against a sink that answers after the timeout,
// resets the connection after reading, throttles, is unavailable, or is
// down and then back, in single and bulk mode, the sink never records a
// hit twice, every planned hit is counted once, and
// ok <= recorded <= ok + unknown.

const (
	deliveryVisits = 30
	// slowTimeout is the target's timeout against a sink that answers
	// slowly on purpose (2 s): every such request times out.
	slowTimeout = "200ms"
	// fastTimeout is the timeout where the sink answers at once (or
	// refuses at once): it is never meant to fire, even on a loaded CI
	// machine with the race detector, where 200 ms did.
	fastTimeout = "10s"
)

// deliveryYAML is a realtime scenario of deliveryVisits visits (1..4
// pageviews, half of them with an order) to one matomo target at url.
func deliveryYAML(url string, bulk int, delivery, timeout string) string {
	target := fmt.Sprintf("  - name: m\n    kind: matomo\n    url: %s\n    site_id: 1\n    timeout: %s\n", url, timeout)
	if bulk > 0 {
		target += fmt.Sprintf("    bulk: %d\n", bulk)
	}
	if delivery != "" {
		target += "    delivery: " + delivery + "\n"
	}
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: delivery}
run:
  rate: 200/s
  concurrency: 100
  seed: 11
  max_visits: %d
targets:
%straffic:
  pageviews: {min: 1, max: 4}
  pause: {min: 0s, max: 0s}
  visit_duration: {min: 30s, max: 5m}
  features:
    click_events: {probability: 0.5}
    ecommerce: {probability: 0.5}
`, deliveryVisits, target)
}

// plannedHits is the number of hits the scenario plans: what a healthy
// sink receives from it (visits are a pure function of seed and index).
var plannedHits = sync.OnceValues(func() (int64, error) {
	f, err := loadtest.StartFaultSink(loadtest.FaultConfig{})
	if err != nil {
		return 0, err
	}
	defer f.Close()
	p, err := loadtest.Compile(deliveryYAML(f.URL, 0, "", fastTimeout), plan.Options{})
	if err != nil {
		return 0, err
	}
	r, err := runner.Run(context.Background(), p, runner.Options{RunID: "planned", Grace: 10 * time.Second, NoPreflight: true})
	if err != nil {
		return 0, err
	}
	c := r.Total.Counters
	if c.OK != c.Hits || c.Unsent+c.DroppedHits != 0 || int64(len(f.Recorded())) != c.Hits {
		return 0, fmt.Errorf("the healthy run is not clean: %+v, %d recorded", c, len(f.Recorded()))
	}
	return c.Hits, nil
})

// runFaulty runs the scenario against f and checks the invariants that
// hold whatever the fault; it returns the total counters and the number
// of hits the sink recorded.
func runFaulty(t *testing.T, f *loadtest.FaultSink, bulk int, delivery, timeout string) (metrics.Counters, int64) {
	t.Helper()
	return runFaultyStopped(t, f, bulk, delivery, timeout, 0, 10*time.Second, nil)
}

// runFaultyStopped is runFaulty with the run interrupted after stopAfter
// (0: never) and the grace given.
//
// before, when not nil, runs right before runner.Run, after the plan is
// compiled: a fault timed from there is not eaten by the compile on a
// loaded machine.
func runFaultyStopped(t *testing.T, f *loadtest.FaultSink, bulk int, delivery, timeout string, stopAfter, grace time.Duration, before func()) (metrics.Counters, int64) {
	t.Helper()
	planned, err := plannedHits()
	if err != nil {
		t.Fatal(err)
	}
	p := compile(t, deliveryYAML(f.URL, bulk, delivery, timeout))
	ctx := context.Background()
	if stopAfter > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, stopAfter)
		defer cancel()
	}
	if before != nil {
		before()
	}
	r, err := runner.Run(ctx, p, runner.Options{RunID: "faulty", Grace: grace, NoPreflight: true})
	if err != nil {
		t.Fatal(err)
	}
	checkReportAgrees(t, r)
	c := r.Total.Counters
	if sum := c.OK + c.Rejected + c.Failed + c.Unknown + c.Unsent + c.DroppedHits; sum != planned {
		t.Errorf("ok %d + rejected %d + failed %d + unknown %d + unsent %d + dropped %d = %d, want the %d planned hits",
			c.OK, c.Rejected, c.Failed, c.Unknown, c.Unsent, c.DroppedHits, sum, planned)
	}
	recorded := int64(len(f.Recorded()))
	t.Logf("planned %d: ok %d rejected %d failed %d unknown %d unsent %d dropped %d; %d requests, %d retries; sink recorded %d",
		planned, c.OK, c.Rejected, c.Failed, c.Unknown, c.Unsent, c.DroppedHits, c.Requests, c.Retries, recorded)
	if delivery != "at_least_once" {
		if dups := loadtest.Duplicates(f.Recorded()); len(dups) > 0 || f.DuplicateOrders() > 0 {
			t.Errorf("the sink recorded %d hits twice (%d duplicate orders): %q", len(dups), f.DuplicateOrders(), dups)
		}
		if recorded < c.OK || recorded > c.OK+c.Unknown {
			t.Errorf("recorded %d, want ok %d <= recorded <= ok + unknown %d", recorded, c.OK, c.OK+c.Unknown)
		}
	}
	return c, recorded
}

// checkReportAgrees: the total is the sum of the targets, and a report
// written and read back says the same.
func checkReportAgrees(t *testing.T, r *report.Report) {
	t.Helper()
	if len(r.Targets) != 1 || r.Targets[0].Counters.Unknown != r.Total.Counters.Unknown ||
		r.Targets[0].Counters.Failed != r.Total.Counters.Failed {
		t.Errorf("target and total disagree: %+v vs %+v", r.Targets[0].Counters, r.Total.Counters)
	}
}

func startFaultSink(t *testing.T, cfg loadtest.FaultConfig) *loadtest.FaultSink {
	return loadtest.StartFaultSinkT(t, cfg)
}

var deliveryModes = []struct {
	name string
	bulk int
}{{"single", 0}, {"bulk", 10}}

// The sink records every hit, then answers after the timeout: every hit
// is unknown (none failed, none retried), and recorded exactly once.
func TestDeliveryAnswerAfterTimeout(t *testing.T) {
	for _, m := range deliveryModes {
		t.Run(m.name, func(t *testing.T) {
			f := startFaultSink(t, loadtest.FaultConfig{Fault: loadtest.Always(loadtest.SlowAnswer), Delay: 2 * time.Second})
			c, recorded := runFaulty(t, f, m.bulk, "", slowTimeout)
			if c.OK != 0 || c.Failed != 0 || c.Unknown != c.Hits || c.Retries != 0 || recorded != c.Unknown {
				t.Errorf("ok %d failed %d unknown %d of %d sent, %d retries, %d recorded; want every sent hit unknown, recorded once, never retried",
					c.OK, c.Failed, c.Unknown, c.Hits, c.Retries, recorded)
			}
			if c.Errors["timeout"].Count == 0 {
				t.Errorf("no timeout error class: %+v", c.Errors)
			}
		})
	}
}

// The sink records every hit, then resets the connection: unknown.
func TestDeliveryResetAfterRead(t *testing.T) {
	for _, m := range deliveryModes {
		t.Run(m.name, func(t *testing.T) {
			f := startFaultSink(t, loadtest.FaultConfig{Fault: loadtest.Always(loadtest.ResetAfterRead)})
			c, recorded := runFaulty(t, f, m.bulk, "", fastTimeout)
			if c.OK != 0 || c.Failed != 0 || c.Unknown != c.Hits || c.Retries != 0 || recorded != c.Unknown {
				t.Errorf("ok %d failed %d unknown %d of %d sent, %d retries, %d recorded; want every sent hit unknown, recorded once, never retried",
					c.OK, c.Failed, c.Unknown, c.Hits, c.Retries, recorded)
			}
		})
	}
}

// 429 and 503 are answered without recording: the first requests are
// retried (after Retry-After) and then succeed; a target that always
// answers so fails every hit, and records none.
func TestDeliveryThrottledAndUnavailable(t *testing.T) {
	for _, fault := range []struct {
		name  string
		fault loadtest.Fault
	}{{"429", loadtest.Throttle}, {"503", loadtest.Unavailable}} {
		for _, m := range deliveryModes {
			t.Run(fault.name+"/"+m.name+"/then-ok", func(t *testing.T) {
				f := startFaultSink(t, loadtest.FaultConfig{Fault: loadtest.FirstN(3, fault.fault), RetryAfter: "1"})
				c, recorded := runFaulty(t, f, m.bulk, "", fastTimeout)
				if c.OK != c.Hits || c.Failed+c.Unknown != 0 || c.Retries != 3 || recorded != c.OK {
					t.Errorf("ok %d of %d sent, failed %d, unknown %d, %d retries, %d recorded; want all ok after 3 retries",
						c.OK, c.Hits, c.Failed, c.Unknown, c.Retries, recorded)
				}
			})
			t.Run(fault.name+"/"+m.name+"/always", func(t *testing.T) {
				f := startFaultSink(t, loadtest.FaultConfig{Fault: loadtest.Always(fault.fault), RetryAfter: "0"})
				c, recorded := runFaulty(t, f, m.bulk, "", fastTimeout)
				if c.Failed != c.Hits || c.OK+c.Unknown != 0 || c.Retries != 2*c.Requests || recorded != 0 {
					t.Errorf("failed %d of %d sent, ok %d, unknown %d, %d retries of %d requests, %d recorded; want all failed after 2 retries each, none recorded",
						c.Failed, c.Hits, c.OK, c.Unknown, c.Retries, c.Requests, recorded)
				}
			})
		}
	}
}

// The target refuses connections for a while, then serves: refused
// connections are retried (nothing was written), nothing is unknown, and
// the sink recorded exactly the ok hits.
func TestDeliveryDownThenBack(t *testing.T) {
	for _, m := range deliveryModes {
		t.Run(m.name, func(t *testing.T) {
			f := startFaultSink(t, loadtest.FaultConfig{})
			c, recorded := runFaultyStopped(t, f, m.bulk, "", fastTimeout, 0, 10*time.Second, func() { f.DownFor(150 * time.Millisecond) })
			if c.Unknown != 0 || recorded != c.OK || c.Retries == 0 {
				t.Errorf("ok %d failed %d unknown %d, %d retries, %d recorded, errors %+v; want no unknown, refused connections retried, recorded == ok",
					c.OK, c.Failed, c.Unknown, c.Retries, recorded, c.Errors)
			}
		})
	}
}

// With delivery: at_least_once, a request answered after the timeout is
// sent again: the retries happen, the sink records hits more than once,
// and the count of every hit still adds up to the plan.
func TestDeliveryAtLeastOnceRetries(t *testing.T) {
	for _, m := range deliveryModes {
		t.Run(m.name, func(t *testing.T) {
			f := startFaultSink(t, loadtest.FaultConfig{Fault: loadtest.FirstN(2, loadtest.SlowAnswer), Delay: 2 * time.Second})
			c, recorded := runFaulty(t, f, m.bulk, "at_least_once", slowTimeout)
			dups := loadtest.Duplicates(f.Recorded())
			if c.Retries < 2 || len(dups) == 0 || recorded <= c.OK {
				t.Errorf("%d retries, %d duplicates, %d recorded for ok %d; want the 2 slow requests sent again and recorded twice",
					c.Retries, len(dups), recorded, c.OK)
			}
		})
	}
}

// A run stopped while requests are in flight (the grace is shorter than
// the slow answers): the requests written when the grace runs out are
// unknown; the hits after them are unsent, or failed when a bulk batch
// held them and was cancelled before it was written (provably not sent);
// nothing is counted twice. Every visit is due (at 200/s) before the stop.
func TestDeliveryStopMidFlight(t *testing.T) {
	for _, m := range deliveryModes {
		t.Run(m.name, func(t *testing.T) {
			f := startFaultSink(t, loadtest.FaultConfig{Fault: loadtest.Always(loadtest.SlowAnswer), Delay: 2 * time.Second})
			c, recorded := runFaultyStopped(t, f, m.bulk, "", slowTimeout, 300*time.Millisecond, 50*time.Millisecond, nil)
			// In bulk mode a visit hands all its hits over at once: whether
			// some are still queued at the stop depends on the batch timer.
			cut := c.Unsent+c.Failed > 0 || m.bulk > 0
			if !cut || c.Unknown == 0 || c.OK != 0 || recorded != c.Unknown {
				t.Errorf("unsent %d, unknown %d, ok %d, recorded %d; want hits cut by the stop unsent, those in flight unknown and recorded",
					c.Unsent, c.Unknown, c.OK, recorded)
			}
		})
	}
}
