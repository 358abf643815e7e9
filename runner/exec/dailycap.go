package exec

import "time"

// dailyCap counts visits started in a rolling 24-hour window, in per-minute
// buckets: exact to the minute, and a few KiB whatever the cap.
type dailyCap struct {
	limit   int64
	buckets [1440]struct {
		minute int64
		n      int64
	}
}

func newDailyCap(limit int64) *dailyCap { return &dailyCap{limit: limit} }

func (d *dailyCap) add(now time.Time) {
	if d.limit <= 0 {
		return
	}
	m := now.Unix() / 60
	b := &d.buckets[m%1440]
	if b.minute != m {
		b.minute, b.n = m, 0
	}
	b.n++
}

// full reports whether limit visits started in the 24 hours before now.
func (d *dailyCap) full(now time.Time) bool {
	if d.limit <= 0 {
		return false
	}
	m := now.Unix() / 60
	var total int64
	for _, b := range d.buckets {
		if b.minute > m-1440 && b.minute <= m {
			total += b.n
		}
	}
	return total >= d.limit
}
