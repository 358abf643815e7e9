package live

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// recorders is a Source over real recorders, as the runner's is.
type recorders []*metrics.Recorder

func (r recorders) Run() RunState { return RunState{Scenario: "bench", RunID: "b", Seed: 1} }

func (r recorders) Targets() []TargetState {
	out := make([]TargetState, len(r))
	for i, rec := range r {
		out[i] = TargetState{Name: string(rune('a' + i)), Enabled: true, Health: metrics.HealthOf(rec.Window(time.Minute)), Snapshot: rec.Snapshot()}
	}
	return out
}

func (r recorders) Policies() []PolicyState {
	return []PolicyState{{Policy: "p", Action: "warn"}}
}

// BenchmarkScrape is the cost of one /metrics scrape of a run with four
// targets that each recorded 100 000 requests spread over 1 µs .. 10 s:
// what a run pays per scrape, as nothing is paid per hit.
func BenchmarkScrape(b *testing.B) {
	src := make(recorders, 4)
	for i := range src {
		src[i] = metrics.NewRecorder(time.Minute, nil)
		for n := range 100_000 {
			var q metrics.Request
			q.Hits[kind.HitKind(n%int(kind.NumHitKinds))] = 1
			q.OK, q.Status, q.Attempts = 1, 204, 1
			q.Latency = time.Duration(n*n%10_000_000+1) * time.Microsecond
			src[i].RecordRequest(q)
		}
	}
	c := &collector{}
	c.attach(src)
	h := newHandler(c)
	req := httptest.NewRequest(http.MethodGet, MetricsPath, nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
