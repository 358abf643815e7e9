// Package pacing decides when visits arrive. The model is open: arrival
// times come from the planned rate alone, never from how fast the target
// answers, so a slow Matomo shows up as dropped visits rather than as a
// quietly lower rate (no coordinated omission).
package pacing

import (
	"math"
	"time"
)

// Pacer gives the due time of each arrival, counted from the start of the
// run. It is a schedule, not a clock: the executor sleeps until
// start+Due(n), so small delays never accumulate into drift.
type Pacer interface {
	// Due returns when arrival n (0-based) is due, and false when the
	// schedule has no arrival n.
	Due(n uint64) (time.Duration, bool)
}

// Segment is a stretch of the timeline on which the rate moves linearly
// from From to To visits per second.
type Segment struct {
	Start, End time.Duration
	From, To   float64
}

// Linear is a piecewise-linear rate schedule. Arrival n is due at the time
// t where the integral of the rate from 0 to t reaches n, so the first
// visit starts at once, and a constant rate r gives arrivals at n/r.
type Linear struct {
	segs []Segment
	// cum[i] is the number of arrivals due before segs[i].Start.
	cum []float64
	// hold is the rate after the last segment, until End (0 = stop).
	hold float64
	end  time.Duration // 0 = no end
}

// NewLinear builds a schedule from segments laid end to end, followed by
// hold visits/s until end (end 0 means no end). Segments must be
// contiguous and start at 0.
func NewLinear(segs []Segment, hold float64, end time.Duration) *Linear {
	l := &Linear{segs: segs, hold: hold, end: end, cum: make([]float64, len(segs)+1)}
	for i, s := range segs {
		l.cum[i+1] = l.cum[i] + (s.From+s.To)/2*s.End.Seconds() - (s.From+s.To)/2*s.Start.Seconds()
	}
	return l
}

// Constant is a schedule of r visits/s until end (0 = no end).
func Constant(r float64, end time.Duration) *Linear { return NewLinear(nil, r, end) }

// Due implements Pacer.
func (l *Linear) Due(n uint64) (time.Duration, bool) {
	target := float64(n)
	for i, s := range l.segs {
		if target >= l.cum[i+1] {
			continue
		}
		t, ok := solveSegment(s, target-l.cum[i])
		if !ok {
			continue
		}
		return l.bounded(t)
	}
	if l.hold <= 0 {
		return 0, false
	}
	var start time.Duration
	if k := len(l.segs); k > 0 {
		start = l.segs[k-1].End
	}
	t := start.Seconds() + (target-l.cum[len(l.segs)])/l.hold
	return l.bounded(t)
}

func (l *Linear) bounded(sec float64) (time.Duration, bool) {
	if math.IsInf(sec, 0) || math.IsNaN(sec) || sec > math.MaxInt64/float64(time.Second) {
		return 0, false
	}
	d := time.Duration(sec * float64(time.Second))
	if l.end > 0 && d >= l.end {
		return 0, false
	}
	return d, true
}

// solveSegment finds the time within s at which k arrivals have come since
// its start: From*x + (To-From)/(2*len)*x² = k, for x in [0, len].
func solveSegment(s Segment, k float64) (float64, bool) {
	length := (s.End - s.Start).Seconds()
	if length <= 0 {
		return 0, false
	}
	a := (s.To - s.From) / (2 * length)
	b := s.From
	var x float64
	switch {
	case k <= 0:
		x = 0
	case math.Abs(a) < 1e-12:
		if b <= 0 {
			return 0, false
		}
		x = k / b
	default:
		disc := b*b + 4*a*k
		if disc < 0 {
			return 0, false
		}
		// The numerically stable root of a x² + b x - k = 0.
		x = 2 * k / (b + math.Sqrt(disc))
	}
	if x < 0 || x > length+1e-9 {
		return 0, false
	}
	return s.Start.Seconds() + x, true
}

// Expected returns the number of arrivals due in [0, d): the integral of
// the rate, for plans and for checking achieved against planned.
func (l *Linear) Expected(d time.Duration) float64 {
	if l.end > 0 && d > l.end {
		d = l.end
	}
	t := d.Seconds()
	total := 0.0
	for _, s := range l.segs {
		if t <= s.Start.Seconds() {
			return total
		}
		x := math.Min(t, s.End.Seconds()) - s.Start.Seconds()
		length := (s.End - s.Start).Seconds()
		if length > 0 {
			total += s.From*x + (s.To-s.From)/(2*length)*x*x
		}
	}
	var start float64
	if k := len(l.segs); k > 0 {
		start = l.segs[k-1].End.Seconds()
	}
	if t > start {
		total += l.hold * (t - start)
	}
	return total
}

// End returns the end of the schedule (0 = none): the given end, or the
// end of the last segment when nothing is held after it.
func (l *Linear) End() time.Duration {
	if l.end > 0 {
		return l.end
	}
	if l.hold <= 0 && len(l.segs) > 0 {
		return l.segs[len(l.segs)-1].End
	}
	return 0
}

// RateAt returns the planned rate at t.
func (l *Linear) RateAt(t time.Duration) float64 {
	for _, s := range l.segs {
		if t >= s.Start && t < s.End {
			f := float64(t-s.Start) / float64(s.End-s.Start)
			return s.From + (s.To-s.From)*f
		}
	}
	return l.hold
}
