package model

import "time"

// A backfill block says which days to replay; the window is those days
// resolved against a clock and a time zone. Both the semantic check (which
// rejects windows in the future or too long) and plan compilation use it.

// MaxBackfillDays is the longest backfill window, as in the legacy tool.
const MaxBackfillDays = 180

// Window is a resolved backfill window: the local calendar days From..To
// (inclusive), as midnight UTC dates.
type Window struct {
	From, To time.Time
}

// Days returns the number of days in the window.
func (w Window) Days() int { return int(w.To.Sub(w.From).Hours()/24) + 1 }

// ResolveWindow turns a backfill block into calendar days, with "today"
// taken in loc at now. The relative form covers the last_days days that end
// offset_days before today (offset 0 includes today).
func ResolveWindow(b *Backfill, loc *time.Location, now time.Time) Window {
	if b.From != nil || b.To != nil {
		var w Window
		if b.From != nil {
			w.From = b.From.Time
		}
		if b.To != nil {
			w.To = b.To.Time
		}
		return w
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	to := today.AddDate(0, 0, -b.OffsetDays)
	return Window{From: to.AddDate(0, 0, -(b.LastDays - 1)), To: to}
}
