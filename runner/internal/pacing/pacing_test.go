package pacing

import (
	"math"
	"testing"
	"time"
)

func TestConstantArrivals(t *testing.T) {
	p := Constant(200, 60*time.Second)
	var n uint64
	for {
		d, ok := p.Due(n)
		if !ok {
			break
		}
		want := time.Duration(float64(n) / 200 * float64(time.Second))
		if diff := d - want; diff < -time.Microsecond || diff > time.Microsecond {
			t.Fatalf("arrival %d due at %v, want %v", n, d, want)
		}
		n++
	}
	if n != 12000 {
		t.Fatalf("60 s at 200/s gave %d arrivals, want 12000", n)
	}
}

func TestFractionalRate(t *testing.T) {
	p := Constant(0.2, 0)
	d, ok := p.Due(3)
	if !ok || d != 15*time.Second {
		t.Fatalf("arrival 3 at 0.2/s due at %v (ok %v), want 15s", d, ok)
	}
	perDay := 20000.0 / 86400
	d, _ = Constant(perDay, 0).Due(20000)
	if math.Abs(d.Hours()-24) > 1e-6 {
		t.Fatalf("20000/day: arrival 20000 due at %v, want 24h", d)
	}
}

func TestLinearRampMatchesIntegral(t *testing.T) {
	// 0 → 10/s over 10 s (50 arrivals), then 10/s for 10 s (100), then down to 0 over 10 s (50).
	p := NewLinear([]Segment{
		{Start: 0, End: 10 * time.Second, From: 0, To: 10},
		{Start: 10 * time.Second, End: 20 * time.Second, From: 10, To: 10},
		{Start: 20 * time.Second, End: 30 * time.Second, From: 10, To: 0},
	}, 0, 0)
	var n uint64
	prev := time.Duration(-1)
	for {
		d, ok := p.Due(n)
		if !ok {
			break
		}
		if d < prev {
			t.Fatalf("arrival %d at %v before arrival %d at %v", n, d, n-1, prev)
		}
		// The count of arrivals due before d equals n (within rounding).
		if got := p.Expected(d); math.Abs(got-float64(n)) > 1e-6 {
			t.Fatalf("arrival %d at %v: integral %f", n, d, got)
		}
		prev = d
		n++
	}
	if n != 200 {
		t.Fatalf("ramp gave %d arrivals, want 200", n)
	}
	// Arrival 50 is the first of the flat stage, exactly at 10 s.
	if d, _ := p.Due(50); d != 10*time.Second {
		t.Fatalf("arrival 50 due at %v, want 10s", d)
	}
	if p.End() != 30*time.Second {
		t.Fatalf("End = %v, want 30s", p.End())
	}
}

func TestHoldAfterStagesUntilEnd(t *testing.T) {
	p := NewLinear([]Segment{{Start: 0, End: 10 * time.Second, From: 1, To: 1}}, 2, 20*time.Second)
	if got := p.Expected(time.Hour); got != 30 {
		t.Fatalf("expected arrivals %v, want 30 (10 at 1/s, then 20 at 2/s)", got)
	}
	if d, ok := p.Due(29); !ok || d != 19500*time.Millisecond {
		t.Fatalf("arrival 29 at %v %v, want 19.5s", d, ok)
	}
	if _, ok := p.Due(30); ok {
		t.Fatal("arrival 30 is past the end")
	}
}

func TestZeroRateNeverDue(t *testing.T) {
	if _, ok := Constant(0, 0).Due(0); ok {
		t.Fatal("a zero rate has no arrivals")
	}
}
