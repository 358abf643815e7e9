package model

import "time"

func (c *checker) checkBackfill() {
	b := c.s.Run.Backfill
	if b == nil {
		if c.s.Run.Mode == "backfill" {
			c.errorKey("/run", "add run.backfill with from/to or last_days", "run.mode is backfill but run.backfill is missing")
		}
		return
	}
	const p = "/run/backfill"
	bad := false
	for _, d := range []struct {
		path string
		v    *Date
	}{{p + "/from", b.From}, {p + "/to", b.To}} {
		if d.v != nil && d.v.Err != "" {
			c.errorf(d.path, "", "%s", d.v.Err)
			bad = true
		}
	}
	absolute := b.From != nil || b.To != nil
	relative := b.LastDays > 0 || b.OffsetDays > 0
	switch {
	case absolute && relative:
		c.errorKey(p, "use from/to for fixed dates, or last_days for a window relative to today",
			"backfill window is both absolute (from/to) and relative (last_days): choose one")
		return
	case !absolute && !relative:
		c.errorKey(p, "set from and to, or last_days", "backfill window is missing")
		return
	case absolute && (b.From == nil || b.To == nil):
		missing := "to"
		if b.From == nil {
			missing = "from"
		}
		c.errorKey(p, "", "backfill window needs both from and to; %s is missing", missing)
		return
	case relative && b.LastDays == 0:
		c.errorKey(p, "", "backfill offset_days needs last_days")
		return
	}
	if bad {
		return
	}
	loc, err := LoadLocation(c.s.Run.Timezone)
	if err != nil {
		return // reported by checkRun
	}
	w := ResolveWindow(b, loc, c.opts.now())
	y, m, d := c.opts.now().In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch {
	case absolute && w.From.After(w.To):
		c.errorf(p+"/from", "", "backfill from (%s) is after to (%s)", b.From.Raw, b.To.Raw)
	case absolute && w.To.After(today):
		c.errorf(p+"/to", "today is the latest day a backfill can replay",
			"backfill window ends in the future (%s is after today, %s, in %s)", b.To.Raw, today.Format("2006-01-02"), loc)
	case w.Days() > MaxBackfillDays:
		path := p + "/from"
		if relative {
			path = p + "/last_days"
		}
		c.errorf(path, "split it into several runs", "backfill window is %d days long; the maximum is %d", w.Days(), MaxBackfillDays)
	}
	c.checkVisitsPerDay(p+"/visits_per_day", b.VisitsPerDay)
}

func (c *checker) checkVisitsPerDay(path string, v *VisitsPerDay) {
	if v != nil && v.Min > v.Max {
		c.errorf(path+"/min", "", "min (%s) is greater than max (%s)", fmtNum(v.Min), fmtNum(v.Max))
	}
}
