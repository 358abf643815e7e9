package visit

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// CDTLayout is the format of cdt: a UTC time in whole seconds.
const CDTLayout = "2006-01-02 15:04:05"

// StampEnd anchors the visit so that its last hit (the ping) is at end and
// fills every cdt. This is the realtime placement of the legacy tool: the
// whole visit lies in the past of the moment it starts sending, so no cdt
// is after end.
func (v *Visit) StampEnd(end time.Time) {
	v.stamp(end.Add(-v.Duration))
}

// Place anchors the visit inside a window, for backfill: it starts at a
// point drawn uniformly (from the visit's own stream, so placement is
// deterministic too) among those that keep every hit in [windowStart,
// windowEnd) and no hit after notAfter, and fills every cdt. When the
// window is shorter than the visit, the visit ends at the last allowed
// moment and starts before windowStart; Matomo counts a visit on the day of
// its last action, so it still counts in the window. It fails, placing
// nothing, when notAfter is before windowStart or the window is empty.
func (v *Visit) Place(windowStart, windowEnd, notAfter time.Time) error {
	start, err := v.PlacedStart(windowStart, windowEnd, notAfter)
	if err != nil {
		return err
	}
	v.stamp(start)
	return nil
}

// PlacedStart is the start Place would give the visit, without placing it.
func (v *Visit) PlacedStart(windowStart, windowEnd, notAfter time.Time) (time.Time, error) {
	end := windowEnd.Add(-time.Nanosecond) // cdt is floored to the second, so it stays before windowEnd
	if notAfter.Before(end) {
		end = notAfter
	}
	if end.Before(windowStart) {
		if !windowEnd.After(windowStart) {
			return time.Time{}, fmt.Errorf("empty window %s … %s", windowStart.UTC().Format(time.RFC3339), windowEnd.UTC().Format(time.RFC3339))
		}
		return time.Time{}, errors.New("the whole window is in the future")
	}
	start := end.Add(-v.Duration)
	if room := start.Sub(windowStart); room > 0 {
		start = windowStart.Add(time.Duration(v.place * float64(room)))
	}
	return start, nil
}

// stamp sets Start and writes each hit's cdt (UTC) and the same moment as
// the visitor's local time: h, m and s, the clock of the visitor's
// country's main timezone, as a browser's tracker sends them; and the
// _viewts of a returning visit.
func (v *Visit) stamp(start time.Time) {
	v.Start = start
	buf := make([]byte, 0, len(CDTLayout)*len(v.Hits))
	for i := range v.Hits {
		buf = appendCDT(buf, start.Add(v.Hits[i].Offset))
	}
	all := string(buf) // one allocation for all the values
	zone := v.zone
	if zone == nil {
		zone = time.UTC
	}
	viewts := ""
	if v.VisitCount > 1 {
		viewts = v.viewTS()
	}
	for i := range v.Hits {
		p := v.Hits[i].Params
		for j := range p {
			if p[j].Key == "_viewts" {
				p[j].Value = viewts
			}
			if p[j].Key == "cdt" {
				p[j].Value = all[i*len(CDTLayout) : (i+1)*len(CDTLayout)]
				// cdt is truncated to the second, and so is the clock.
				h, m, s := start.Add(v.Hits[i].Offset).In(zone).Clock()
				if j+3 < len(p) && p[j+1].Key == "h" && p[j+2].Key == "m" && p[j+3].Key == "s" {
					p[j+1].Value, p[j+2].Value, p[j+3].Value = clockNumbers[h], clockNumbers[m], clockNumbers[s]
				}
				break
			}
		}
	}
}

// LocalTime returns the time t shows on the visitor's clock: the main
// timezone of the visit's country (UTC when it has none).
func (v *Visit) LocalTime(t time.Time) time.Time {
	if v.zone == nil {
		return t.UTC()
	}
	return t.In(v.zone)
}

// clockNumbers are "0" … "59", the values of h, m and s.
var clockNumbers = func() (out [60]string) {
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}()

// FormatCDT formats t as a cdt value: UTC, whole seconds (truncated, so a
// cdt is never later than t).
func FormatCDT(t time.Time) string { return string(appendCDT(nil, t)) }

func appendCDT(dst []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	dst = append4(dst, y)
	dst = append(dst, '-')
	dst = append2(dst, int(mo))
	dst = append(dst, '-')
	dst = append2(dst, d)
	dst = append(dst, ' ')
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, mi)
	dst = append(dst, ':')
	return append2(dst, s)
}

func append2(dst []byte, x int) []byte { return append(dst, byte('0'+x/10), byte('0'+x%10)) }

func append4(dst []byte, x int) []byte {
	if x < 0 || x > 9999 {
		x = max(0, min(x, 9999)) // outside cdt's range; Matomo would refuse it anyway
	}
	return append(dst, byte('0'+x/1000), byte('0'+x/100%10), byte('0'+x/10%10), byte('0'+x%10))
}
