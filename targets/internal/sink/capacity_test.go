package sink

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestLatencyAtGrowsTowardsCapacityAndIsCapped(t *testing.T) {
	base := 10 * time.Millisecond
	for _, c := range []struct {
		load float64
		want time.Duration
	}{
		{-1, base}, {0, base}, {0.5, 20 * time.Millisecond}, {0.75, 40 * time.Millisecond},
		{0.9, 100 * time.Millisecond}, {0.99, 200 * time.Millisecond}, {1, 200 * time.Millisecond}, {3, 200 * time.Millisecond},
	} {
		if got := LatencyAt(base, c.load); got != c.want {
			t.Errorf("LatencyAt(10ms, %v) = %v, want %v", c.load, got, c.want)
		}
	}
	if got := LatencyAt(0, 0.9); got != 0 {
		t.Errorf("LatencyAt(0, 0.9) = %v, want 0", got)
	}
}

// TestCapacityRefusesAboveMaxRate drives the token bucket on a fake clock:
// a full bucket holds one second of requests, then it refills at MaxRate.
func TestCapacityRefusesAboveMaxRate(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	s, err := New(Config{MaxRate: 5, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	send := func(n int) (ok, refused int) {
		for range n {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/matomo.php", strings.NewReader(hitBody)))
			switch w.Code {
			case http.StatusNoContent:
				ok++
			case http.StatusServiceUnavailable:
				refused++
				if ra := w.Header().Get("Retry-After"); ra != "1" {
					t.Fatalf("Retry-After %q, want 1", ra)
				}
			default:
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
		return ok, refused
	}
	if ok, refused := send(8); ok != 5 || refused != 3 {
		t.Fatalf("burst: %d taken, %d refused; want 5 and 3", ok, refused)
	}
	now = now.Add(400 * time.Millisecond) // 2 tokens back
	if ok, refused := send(3); ok != 2 || refused != 1 {
		t.Fatalf("after 400ms: %d taken, %d refused; want 2 and 1", ok, refused)
	}
	now = now.Add(10 * time.Second) // refills to one second's worth, no more
	if ok, refused := send(6); ok != 5 || refused != 1 {
		t.Fatalf("after 10s: %d taken, %d refused; want 5 and 1", ok, refused)
	}
	st := s.Stats()
	if st.Recorded != 12 || st.Requests != 17 || st.Responses["503"] != 5 || s.OverCapacity() != 5 {
		t.Fatalf("recorded %d of %d requests, %d answered 503, OverCapacity %d; want 12, 17, 5, 5",
			st.Recorded, st.Requests, st.Responses["503"], s.OverCapacity())
	}
}

func TestCapacityLoadDrivesLatency(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c, err := newCapacity(10, 10*time.Millisecond, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	// The 5th request of a second: load 0.5, twice the base latency.
	var wait time.Duration
	for range 5 {
		_, wait = c.take()
	}
	if wait != 20*time.Millisecond {
		t.Fatalf("5 requests in a second of 10: wait %v, want 20ms", wait)
	}
	// Half a second later, half of the previous second still counts: 2.5+1.
	now = now.Add(1500 * time.Millisecond)
	if _, wait = c.take(); wait != LatencyAt(10*time.Millisecond, 0.35) {
		t.Fatalf("wait %v, want %v", wait, LatencyAt(10*time.Millisecond, 0.35))
	}
}

func TestCapacityRejectsBadSettings(t *testing.T) {
	for _, cfg := range []Config{{MaxRate: -1}, {Latency: -time.Second}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	s, err := New(Config{})
	if err != nil || s.capacity != nil {
		t.Fatalf("zero config: capacity %v, err %v; want none", s.capacity, err)
	}
}
