package gates

import (
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// unknownScope has hits of every outcome but ok: 3 unknown, 2 unsent and
// one dropped visit of 4 hits.
func unknownScope() Scope {
	r := metrics.NewRecorder(time.Minute, nil)
	var q metrics.Request
	q.Hits[kind.Pageview], q.Unknown, q.Attempts, q.Latency, q.ErrKind = 3, 3, 1, time.Second, "timeout"
	r.RecordRequest(q)
	r.RecordUnsent(2)
	r.RecordDropped(4)
	return Scope{Snapshot: r.Snapshot(), Window: r.Window}
}

// Unknown hits are errors and samples: a gate on errors or error_rate
// fires on a run whose every hit timed out after it was sent, and the new
// variables read the outcomes.
func TestUnknownHitsFireErrorGates(t *testing.T) {
	e := newEngine(t, &recorded{},
		plan.Policy{Name: "errors", When: "errors > 0", Action: "fail"},
		plan.Policy{Name: "rate", When: "error_rate == 1", Action: "fail"},
		plan.Policy{Name: "window", When: `window("1m").error_rate == 1 && window("1m").unknown == 3`, Action: "fail"},
		plan.Policy{Name: "outcomes", When: "unknown == 3 && unsent == 2 && dropped == 1 && dropped_hits == 4 && failed == 0", Action: "warn"},
		plan.Policy{Name: "old-gate", When: "rejected + failed > 0", Action: "fail"},
	)
	e.Tick(at(1), time.Second, nil, unknownScope()) // windows are read while the run goes on
	e.Final(at(2), 2*time.Second, nil, unknownScope())
	fired := map[string]bool{}
	for _, f := range e.Firings() {
		fired[f.Policy] = true
	}
	for _, name := range []string{"errors", "rate", "window", "outcomes"} {
		if !fired[name] {
			t.Errorf("policy %s did not fire; firings %+v", name, e.Firings())
		}
	}
	if fired["old-gate"] {
		t.Errorf("rejected + failed > 0 fired with no rejected or failed hit")
	}
	if !e.Failed() {
		t.Errorf("the run did not fail")
	}
}
