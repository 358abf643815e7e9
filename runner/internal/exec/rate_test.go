package exec

import (
	"testing"
	"time"
)

// TestRateScheduleMakesUpOversleep: starts are due every 1/rps on the
// schedule; a start that comes late (the timer overslept) makes the next
// ones due at once until the schedule is caught up, so the rate holds.
func TestRateScheduleMakesUpOversleep(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	s := newRateSchedule(1000) // one a millisecond
	if w := s.due(t0); w != 0 {
		t.Fatalf("first start waits %v", w)
	}
	if w := s.due(t0); w != time.Millisecond {
		t.Fatalf("second start waits %v, want 1ms", w)
	}
	// The sleep overslept by 3ms: woken at t0+4ms, the starts due at 2ms,
	// 3ms and 4ms go at once; the one due at 5ms waits 1ms.
	now := t0.Add(4 * time.Millisecond)
	for i, want := range []time.Duration{0, 0, 0, time.Millisecond} {
		if w := s.due(now); w != want {
			t.Errorf("start %d after the oversleep waits %v, want %v", i+3, w, want)
		}
	}
}

// TestRateScheduleForgetsLongStalls: a stall longer than catchUp is made
// up only for catchUp's worth of visits.
func TestRateScheduleForgetsLongStalls(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	s := newRateSchedule(100) // one every 10ms
	s.due(t0)
	now := t0.Add(5 * time.Second)
	burst := 0
	for s.due(now) == 0 {
		burst++
		if burst > 1000 {
			t.Fatal("the burst never ends")
		}
	}
	if want := int(catchUp/(10*time.Millisecond)) + 1; burst != want {
		t.Errorf("after a 5-s stall %d starts go at once, want %d (catchUp's worth and the one due now)", burst, want)
	}
}
