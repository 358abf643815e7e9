package exec

import "time"

// dailyCap counts visits started in a rolling 24-hour window, in per-minute
// buckets: exact to the minute, and a few KiB whatever the cap. It keeps a
// running total, so that each arrival costs O(1) rather than a scan of the
// 1,440 buckets.
type dailyCap struct {
	limit int64
	total int64 // visits in the buckets of the window ending at last
	last  int64 // the latest minute seen; buckets after it are empty
	init  bool
	n     [1440]int64 // visits by minute, indexed by minute % 1440
}

func newDailyCap(limit int64) *dailyCap { return &dailyCap{limit: limit} }

// advance moves the window so that it ends at minute m and returns the
// minute to count in. A clock that steps back (NTP) never empties the
// window early: its visits count in the latest minute seen.
func (d *dailyCap) advance(now time.Time) int64 {
	m := now.Unix() / 60
	switch {
	case !d.init:
		d.init, d.last = true, m
	case m <= d.last:
		return d.last
	case m-d.last >= 1440:
		clear(d.n[:])
		d.total = 0
	default:
		for x := d.last + 1; x <= m; x++ {
			b := &d.n[x%1440]
			d.total -= *b
			*b = 0
		}
	}
	d.last = m
	return m
}

func (d *dailyCap) add(now time.Time) {
	if d.limit <= 0 {
		return
	}
	m := d.advance(now)
	d.n[m%1440]++
	d.total++
}

// full reports whether limit visits started in the 24 hours before now.
func (d *dailyCap) full(now time.Time) bool {
	if d.limit <= 0 {
		return false
	}
	d.advance(now)
	return d.total >= d.limit
}
