package exec

import (
	"math"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

func good(a *AIMD, n int, lat time.Duration) {
	for range n {
		a.Observe(Observation{Latency: lat, Hits: 1})
	}
}

func TestAIMDSlowStartThenCutOncePerWindow(t *testing.T) {
	a := &AIMD{Min: 1}
	if a.Limit() != 1 {
		t.Fatalf("starts at %d, want Min 1", a.Limit())
	}
	good(a, 9, time.Millisecond) // slow start: +1 an answer
	if a.Limit() != 10 {
		t.Fatalf("after 9 good answers: %d, want 10", a.Limit())
	}
	// A 503 in slow start halves the limit (slow start overshoots).
	a.Observe(Observation{Latency: time.Millisecond, Hits: 1, Overload: true})
	if a.Limit() != 5 || a.Cuts() != 1 {
		t.Fatalf("after a 503: limit %d, cuts %d; want 5 (10 × 0.5) and 1", a.Limit(), a.Cuts())
	}
	// The rest of the window reports the same congestion: no second cut.
	for range 4 {
		a.Observe(Observation{Overload: true})
	}
	if a.Limit() != 5 || a.Cuts() != 1 {
		t.Fatalf("within the window: limit %d, cuts %d; want 5 and 1", a.Limit(), a.Cuts())
	}
	a.Observe(Observation{Overload: true}) // the 5th answer since the cut
	if a.Limit() != 4 || a.Cuts() != 2 {
		t.Fatalf("a window later: limit %d, cuts %d; want 4 (floor 5 × 0.8) and 2", a.Limit(), a.Cuts())
	}
	// Congestion avoidance: one visit more per window of good answers.
	good(a, 4, time.Millisecond)
	if a.Limit() != 4 {
		t.Fatalf("after 4 good answers at 4: %d, want 4 (4.92)", a.Limit())
	}
	good(a, 1, time.Millisecond)
	if a.Limit() != 5 {
		t.Fatalf("after 5 good answers at 4: %d, want 5", a.Limit())
	}
}

func TestAIMDLatencyOverToleranceIsCongestion(t *testing.T) {
	a := &AIMD{Min: 4, Tolerance: 10}
	good(a, 4, time.Millisecond) // baseline 1ms, limit 8
	// 100 hits in 50ms are 0.5ms a hit: bigger batches are not congestion.
	a.Observe(Observation{Latency: 50 * time.Millisecond, Hits: 100})
	if a.Limit() != 9 {
		t.Fatalf("after a quick bulk answer: %d, want 9", a.Limit())
	}
	// Slow single answers at 20ms: the smoothed latency (weight 0.2,
	// baseline 0.9ms) goes 4.72 → 7.78 → 10.2ms. The first passes twice the
	// baseline and ends slow start (+1/9 from then on); the third passes 10
	// × the baseline: congestion.
	good(a, 2, 20*time.Millisecond)
	if a.Limit() != 9 || a.Cuts() != 0 {
		t.Fatalf("after 2 slow answers: limit %d, cuts %d; want 9 (9.22) and 0", a.Limit(), a.Cuts())
	}
	// Congested from the third on, but cut only once a window (9 answers)
	// has passed since the start: on the fourth slow answer.
	good(a, 1, 20*time.Millisecond)
	if a.Limit() != 9 || a.Cuts() != 0 {
		t.Fatalf("after 3 slow answers: limit %d, cuts %d; want 9 and 0", a.Limit(), a.Cuts())
	}
	good(a, 1, 20*time.Millisecond)
	if a.Limit() != 7 || a.Cuts() != 1 {
		t.Fatalf("after 4 slow answers: limit %d, cuts %d; want 7 (floor 9.22 × 0.8) and 1", a.Limit(), a.Cuts())
	}
}

func TestAIMDBounds(t *testing.T) {
	a := &AIMD{Min: 2, Max: 5}
	good(a, 100, time.Millisecond)
	if a.Limit() != 5 {
		t.Fatalf("limit %d, want Max 5", a.Limit())
	}
	for range 100 {
		a.Observe(Observation{Overload: true})
	}
	if a.Limit() != 2 {
		t.Fatalf("limit %d, want Min 2", a.Limit())
	}
}

func TestObservationOfReadsOverloadSigns(t *testing.T) {
	for _, c := range []struct {
		res  kind.Result
		want bool
	}{
		{kind.Result{Hits: 1, Status: 200, Attempts: 1}, false},
		{kind.Result{Hits: 1, Status: 400, Attempts: 1}, false},
		{kind.Result{Hits: 1, Status: 503, Attempts: 3}, true},
		{kind.Result{Hits: 1, Status: 429, Attempts: 1}, true},
		{kind.Result{Hits: 1, Status: 200, Attempts: 2}, true},
		{kind.Result{Hits: 1, ErrKind: "timeout", Attempts: 1}, true},
	} {
		if got := observationOf(c.res, 1).Overload; got != c.want {
			t.Errorf("%+v: overload %v, want %v", c.res, got, c.want)
		}
	}
}

// fakeTarget is a server of capacity C requests a second whose latency
// grows as base/(1-load), capped at 20 × base (as the sink's limiter), and
// that refuses what comes above C. With L requests in flight it serves
// r = L·C/(base·C+L) a second (Little's law on the curve) until the cap,
// then L/(20·base).
type fakeTarget struct {
	capacity float64
	base     time.Duration
}

func (f fakeTarget) answer(inflight int) (rate float64, latency time.Duration, refused float64) {
	b, L := f.base.Seconds(), float64(inflight)
	rate = L * f.capacity / (b*f.capacity + L)
	load := rate / f.capacity
	if load >= 1-1.0/20 {
		rate, load = L/(20*b), 1-1.0/20
	}
	latency = time.Duration(float64(f.base) / (1 - load))
	if rate > f.capacity {
		refused = (rate - f.capacity) / rate
	}
	return rate, latency, refused
}

// TestAIMDSettlesNearTheCapacityOfAFakeTarget runs the limiter a window
// at a time against the fake target: it must use at least 85% of the
// capacity with under 0.5% of refused requests once settled.
func TestAIMDSettlesNearTheCapacityOfAFakeTarget(t *testing.T) {
	for _, f := range []fakeTarget{{200, 10 * time.Millisecond}, {50, 40 * time.Millisecond}, {2000, 2 * time.Millisecond}} {
		a := &AIMD{Min: 1}
		var sumRate, answers, refusedAnswers float64
		for round := range 3000 {
			L := a.Limit()
			rate, lat, refused := f.answer(L)
			k := int(math.Round(refused * float64(L)))
			for i := range L {
				a.Observe(Observation{Latency: lat, Hits: 1, Overload: i < k})
			}
			if round >= 1000 {
				sumRate += rate
				answers += float64(L)
				refusedAnswers += float64(k)
			}
		}
		settled := sumRate / 2000 / f.capacity
		if settled < 0.85 || refusedAnswers/answers >= 0.005 {
			t.Errorf("capacity %v/s, base %v: settled at %.3f of it with %.4f refused; want ≥ 0.85 and < 0.005",
				f.capacity, f.base, settled, refusedAnswers/answers)
		}
	}
}

// TestAIMDWindowCountsVisitsNotAnswers: a bulk answer that moves 10
// visits on counts as 10 answers of single requests would: slow start
// adds 10, congestion avoidance 10/limit, and a window after a cut is
// limit visits.
func TestAIMDWindowCountsVisitsNotAnswers(t *testing.T) {
	a := &AIMD{Min: 1}
	a.Observe(Observation{Latency: 10 * time.Millisecond, Hits: 100, Visits: 10})
	if a.Limit() != 11 {
		t.Fatalf("slow start after a bulk answer of 10 visits: %d, want 11", a.Limit())
	}
	// A 503: halved, and the next bulk answer of 10 visits completes the
	// window of 5 visits, so the one after cuts again.
	a.Observe(Observation{Latency: 10 * time.Millisecond, Hits: 100, Visits: 10, Overload: true})
	if a.Limit() != 5 || a.Cuts() != 1 {
		t.Fatalf("after a 503: limit %d, cuts %d; want 5 and 1", a.Limit(), a.Cuts())
	}
	a.Observe(Observation{Latency: 10 * time.Millisecond, Hits: 100, Visits: 10, Overload: true})
	if a.Limit() != 4 || a.Cuts() != 2 {
		t.Fatalf("a window (5 visits) later: limit %d, cuts %d; want 4 (floor 5 × 0.8) and 2", a.Limit(), a.Cuts())
	}
	// Congestion avoidance: 10 visits at limit 4 add 10/4.
	a.Observe(Observation{Latency: 10 * time.Millisecond, Hits: 100, Visits: 10})
	if a.Limit() != 6 {
		t.Fatalf("avoidance after 10 visits at 4: %d, want 6 (4 + 2.5)", a.Limit())
	}
}
