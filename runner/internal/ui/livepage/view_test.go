package livepage

import (
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/live"
)

func TestPolicyStates(t *testing.T) {
	for _, c := range []struct {
		st   live.PolicyState
		want string
	}{
		{live.PolicyState{}, "ok"},
		{live.PolicyState{Holding: true}, "pending"},
		{live.PolicyState{Holding: true, Firing: true, Fired: 1}, "firing"},
		{live.PolicyState{Fired: 2}, "fired"},
	} {
		if got := policyView(c.st).State; got != c.want {
			t.Errorf("%+v: state %q, want %q", c.st, got, c.want)
		}
	}
}

func TestProgressFraction(t *testing.T) {
	for _, c := range []struct {
		p    live.Progress
		want float64
	}{
		{live.Progress{Elapsed: 30 * time.Second, Planned: time.Minute}, 0.5},
		{live.Progress{Elapsed: 90 * time.Second, Planned: time.Minute}, 1},
		{live.Progress{Elapsed: time.Hour}, -1}, // open-ended
		{live.Progress{Visits: 70, Dropped: 5, MaxVisits: 100}, 0.75},
		// Whichever stop comes first.
		{live.Progress{Elapsed: 15 * time.Second, Planned: time.Minute, Visits: 50, MaxVisits: 100}, 0.5},
	} {
		if got := progressView(c.p).Fraction; got != c.want {
			t.Errorf("%+v: fraction %v, want %v", c.p, got, c.want)
		}
	}
}

// The chart keeps at most maxPoints: past it, neighbours merge and the
// step doubles, so it still spans the whole run.
func TestSeriesStaysBounded(t *testing.T) {
	b := newBuilder("s")
	for s := range 2000 {
		b.sample(live.Progress{Elapsed: time.Duration(s) * time.Second, Rate: 10, Errors: int64(s), P95Ms: float64(s % 7)})
	}
	if n := len(b.series); n > maxPoints || n < maxPoints/2 {
		t.Fatalf("%d points after 2000 s, want between %d and %d", n, maxPoints/2, maxPoints)
	}
	first, last := b.series[0], b.series[len(b.series)-1]
	if first.T > b.step || last.T < 1999-b.step {
		t.Errorf("the series spans %v..%v s, want the whole run", first.T, last.T)
	}
	for _, p := range b.series[1:] {
		if p.Rate != 10 || p.Errors < 0.99 || p.Errors > 1.01 {
			t.Fatalf("point %+v: want rate 10 and 1 error a second", p)
		}
	}
}
