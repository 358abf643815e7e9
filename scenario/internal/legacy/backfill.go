package legacy

import (
	"math"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

var (
	backfillWindowKeys = []string{"BACKFILL_START_DATE", "BACKFILL_END_DATE", "BACKFILL_DAYS_BACK", "BACKFILL_DURATION_DAYS"}
	backfillOtherKeys  = []string{"BACKFILL_MAX_VISITS_PER_DAY", "BACKFILL_MAX_VISITS_TOTAL", "BACKFILL_RPS_LIMIT", "BACKFILL_SEED"}
)

// backfillRequested reports whether BACKFILL_ENABLED turns backfill on as
// the loader read it: the literal "true", in any case.
func (m *migration) backfillRequested() bool {
	st := m.get("BACKFILL_ENABLED")
	return st != nil && legacyTrue(st.value)
}

func (m *migration) buildBackfill() {
	en := m.get("BACKFILL_ENABLED")
	if en != nil && !legacyTrue(en.value) {
		switch {
		case validatorTrue(en.value):
			m.warn(en, "/run/mode", "write BACKFILL_ENABLED=true to replay a window",
				"BACKFILL_ENABLED=%s left backfill off in the legacy loader, which read only \"true\" as true (its validator took it for true); the scenario stays realtime", clip(en.value))
		case en.value != "" && !validatorFalse(en.value):
			m.warn(en, "/run/mode", "write true or false",
				"BACKFILL_ENABLED=%s is not a boolean; the legacy loader read it as false, and the scenario stays realtime", clip(en.value))
		}
	}
	m.runOnceNote()
	if !m.backfillRequested() {
		for _, k := range append(append([]string{}, backfillWindowKeys...), backfillOtherKeys...) {
			if st := m.get(k); st != nil {
				m.info(st, "", "%s is not used: BACKFILL_ENABLED is not true", k)
				m.drop("%s (line %d): backfill is off.", k, st.line)
			}
		}
		return
	}
	r := &m.s.Run
	r.Mode = "backfill"
	m.c.from("/run/mode", source(en, "BACKFILL_ENABLED"))
	m.c.from("/run/rate", source(m.vars["TARGET_VISITS_PER_DAY"], "TARGET_VISITS_PER_DAY")+
		"; in a backfill, run.backfill.rps sets the pace instead")
	b := &model.Backfill{}
	r.Backfill = b
	m.backfillWindow(en, b)
	m.backfillCaps(b)
	m.backfillRate(b)
	// The legacy backfill placed visits uniformly over each day; without
	// weights trafficinator follows a daily curve.
	b.HourlyWeights = make([]float64, 24)
	for h := range b.HourlyWeights {
		b.HourlyWeights[h] = 1
	}
	m.c.from("/run/backfill/hourly_weights", "uniform, as the legacy backfill spread each day's visits evenly")
	m.backfillSeed()
	m.info(en, "/run/mode", "the legacy backfill stamped visits later than the current time when its window ended today, "+
		"made every day 24 hours long in the standard offset (wrong on the days clocks change), and replayed the whole window "+
		"each time its container restarted (defect 12); trafficinator never stamps a visit after the current time (today gets "+
		"the share of its visits whose hours have passed), uses the real local days, and replays the window once per run")
	m.checkBackfillTokens(en)
}

// runOnceNote explains BACKFILL_RUN_ONCE, which has no v1 equivalent.
func (m *migration) runOnceNote() {
	st := m.get("BACKFILL_RUN_ONCE")
	if st == nil {
		return
	}
	reason, _ := ignoredReason(st.key)
	m.info(st, "", "BACKFILL_RUN_ONCE is ignored: %s", reason)
	m.drop("BACKFILL_RUN_ONCE (line %d): %s.", st.line, reason)
}

// backfillWindow maps the absolute (start/end dates) or relative (days
// back, duration) window, with the loader's rules: one kind, both halves,
// start ≤ end ≤ today, at most 180 days.
func (m *migration) backfillWindow(en *setting, b *model.Backfill) {
	var abs, rel []*setting
	bad := false
	var from, to *model.Date
	if st := m.get("BACKFILL_START_DATE"); st.set() {
		abs = append(abs, st)
		from = m.date(st, &bad)
	}
	if st := m.get("BACKFILL_END_DATE"); st.set() {
		abs = append(abs, st)
		to = m.date(st, &bad)
	}
	back, bst, bok := m.windowDays("BACKFILL_DAYS_BACK", 0)
	dur, dst, dok := m.windowDays("BACKFILL_DURATION_DAYS", 1)
	for _, st := range []*setting{bst, dst} {
		if st != nil {
			rel = append(rel, st)
		}
	}
	bad = bad || !bok || !dok
	switch {
	case len(abs) > 0 && len(rel) > 0:
		a, r := earliest(abs), earliest(rel)
		later, kind, other, otherKind := r, "a relative", a, "an absolute"
		if a.line > r.line {
			later, kind, other, otherKind = a, "an absolute", r, "a relative"
		}
		m.errorf(later, "use BACKFILL_START_DATE and BACKFILL_END_DATE, or BACKFILL_DAYS_BACK and BACKFILL_DURATION_DAYS",
			"%s sets %s backfill window, but %s (line %d) set %s one: the two kinds cannot be mixed", later.key, kind, other.key, other.line, otherKind)
	case len(abs) == 0 && len(rel) == 0:
		m.errorf(en, "set BACKFILL_START_DATE and BACKFILL_END_DATE, or BACKFILL_DAYS_BACK and BACKFILL_DURATION_DAYS",
			"backfill is enabled but has no window")
	case len(abs) == 1 && !bad:
		m.errorf(abs[0], "", "%s needs %s as well", abs[0].key, partner(abs[0].key))
	case len(rel) == 1 && !bad:
		m.errorf(rel[0], "", "%s needs %s as well", rel[0].key, partner(rel[0].key))
	case bad:
	case len(abs) == 2:
		m.absoluteWindow(b, from, to, abs[0], abs[1])
	default:
		m.relativeWindow(b, int(back), int(dur), bst, dst)
	}
}

func partner(key string) string {
	return map[string]string{
		"BACKFILL_START_DATE": "BACKFILL_END_DATE", "BACKFILL_END_DATE": "BACKFILL_START_DATE",
		"BACKFILL_DAYS_BACK": "BACKFILL_DURATION_DAYS", "BACKFILL_DURATION_DAYS": "BACKFILL_DAYS_BACK",
	}[key]
}

func earliest(sts []*setting) *setting {
	e := sts[0]
	for _, st := range sts[1:] {
		if st.line < e.line {
			e = st
		}
	}
	return e
}

// date reads a YYYY-MM-DD date; bad is set when it does not parse.
func (m *migration) date(st *setting, bad *bool) *model.Date {
	s := strings.TrimSpace(st.value)
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		m.errorf(st, "write the date as YYYY-MM-DD", "%s=%s is not a date", st.key, clip(st.value))
		*bad = true
		return nil
	}
	return &model.Date{Raw: s, Time: t}
}

// windowDays reads BACKFILL_DAYS_BACK or BACKFILL_DURATION_DAYS; an empty
// value counts as unset, as in the loader.
func (m *migration) windowDays(key string, lo float64) (float64, *setting, bool) {
	if st := m.get(key); !st.set() {
		return 0, nil, true
	}
	return m.number(num{key: key, integer: true, lo: lo, hi: 1e6, vlo: 1, vhi: 365})
}

func (m *migration) absoluteWindow(b *model.Backfill, from, to *model.Date, start, end *setting) {
	if start.key != "BACKFILL_START_DATE" {
		start, end = end, start
	}
	loc, err := time.LoadLocation(m.s.Run.Timezone)
	if err != nil {
		loc = time.UTC // reported by buildTimezone
	}
	y, mo, d := m.opts.now().In(loc).Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	days := int(to.Time.Sub(from.Time).Hours()/24) + 1
	switch {
	case from.Time.After(to.Time):
		m.errorf(end, "", "BACKFILL_END_DATE (%s) is before BACKFILL_START_DATE (%s)", to.Raw, from.Raw)
	case to.Time.After(today):
		m.errorf(end, "today is the latest day a backfill can replay",
			"BACKFILL_END_DATE (%s) is after today (%s in %s)", to.Raw, today.Format("2006-01-02"), loc)
	case days > model.MaxBackfillDays:
		m.errorf(start, "split it into several runs", "the backfill window is %d days long; the maximum is %d", days, model.MaxBackfillDays)
	default:
		b.From, b.To = from, to
		m.c.from("/run/backfill/from", source(start, start.key))
		m.c.from("/run/backfill/to", source(end, end.key))
	}
}

// relativeWindow maps "start = today − N, end = start + M − 1" to the v1
// form "last_days M ending offset_days before today": offset = N − M + 1.
func (m *migration) relativeWindow(b *model.Backfill, back, dur int, bst, dst *setting) {
	switch {
	case dur > back+1:
		m.errorf(dst, "a relative window ends at most today: BACKFILL_DURATION_DAYS ≤ BACKFILL_DAYS_BACK + 1",
			"a window of %d days that starts %d days back would end %d days after today", dur, back, dur-back-1)
	case dur > model.MaxBackfillDays:
		m.errorf(dst, "split it into several runs", "the backfill window is %d days long; the maximum is %d", dur, model.MaxBackfillDays)
	default:
		b.LastDays, b.OffsetDays = dur, back-dur+1
		m.c.from("/run/backfill/last_days", source(dst, dst.key))
		m.c.from("/run/backfill/offset_days", source(bst, bst.key)+" - BACKFILL_DURATION_DAYS + 1")
		m.c.note("/run/backfill", "The legacy relative window started BACKFILL_DAYS_BACK days before today and lasted BACKFILL_DURATION_DAYS "+
			"days; here that is the last_days days that end offset_days before today.")
	}
}

// backfillCaps maps the per-day and total caps, with the loader's
// fallbacks: a per-day cap ≤ 0 meant int(TARGET_VISITS_PER_DAY), a total
// ≤ 0 meant no limit.
func (m *migration) backfillCaps(b *model.Backfill) {
	per, pst, _ := m.number(num{key: "BACKFILL_MAX_VISITS_PER_DAY", def: 2000, integer: true,
		lo: math.Inf(-1), hi: 1 << 53, vlo: math.Inf(-1), vhi: 10000})
	if per <= 0 {
		rate := m.s.Run.Rate.PerSecond * 86400
		per = math.Trunc(rate)
		m.warn(pst, "/run/backfill/visits_per_day", "",
			"BACKFILL_MAX_VISITS_PER_DAY=%s meant int(TARGET_VISITS_PER_DAY) = %s in the legacy loader (its validator wanted at least 1); so does the scenario",
			clip(pst.value), fmtNum(per))
	}
	b.VisitsPerDay = &model.VisitsPerDay{Min: per, Max: per}
	m.c.from("/run/backfill/visits_per_day", source(pst, "BACKFILL_MAX_VISITS_PER_DAY"))

	total, tst, _ := m.number(num{key: "BACKFILL_MAX_VISITS_TOTAL", def: 200000, integer: true,
		lo: math.Inf(-1), hi: 1 << 53, vlo: math.Inf(-1), vhi: 1e7})
	switch {
	case total <= 0:
		m.info(tst, "/run/backfill", "BACKFILL_MAX_VISITS_TOTAL=%s meant no limit in the legacy loader (its validator wanted at least 1); the scenario sets no run.backfill.max_visits", clip(tst.value))
	default:
		b.MaxVisits = int64(total)
		m.c.from("/run/backfill/max_visits", source(tst, "BACKFILL_MAX_VISITS_TOTAL"))
		if pst != nil && tst != nil && total < per {
			m.warn(tst, "/run/backfill/max_visits", "",
				"BACKFILL_MAX_VISITS_TOTAL (%s) is below BACKFILL_MAX_VISITS_PER_DAY (%s): the legacy validator refused this, the loader ran with it, and so does the scenario",
				fmtNum(total), fmtNum(per))
		}
	}
}

// backfillRate maps BACKFILL_RPS_LIMIT, visits (not requests) per second
// in the legacy loader as in run.backfill.rps. Empty, unset or 0 meant the
// fallback pace TARGET_VISITS_PER_DAY/86400 visits per second, which v1
// has no implicit form for (no rps means no limit): it is written as an
// explicit rps.
func (m *migration) backfillRate(b *model.Backfill) {
	st := m.get("BACKFILL_RPS_LIMIT")
	if st.set() {
		rps, st, ok := m.number(num{key: "BACKFILL_RPS_LIMIT", lo: 0, hi: math.Inf(1), vlo: 0, vhi: 500,
			why: "a negative limit stalled the legacy backfill for good"})
		switch {
		case !ok:
			return
		case rps > 0:
			b.RPS.PerSecond = rps
			m.c.from("/run/backfill/rps", source(st, "BACKFILL_RPS_LIMIT")+": visits per second, as in the legacy tool")
			return
		}
		m.info(st, "/run/backfill/rps", "BACKFILL_RPS_LIMIT=0 meant no limit of its own in the legacy loader: visits started at TARGET_VISITS_PER_DAY/86400 per second, and so they do here")
	}
	r := m.s.Run.Rate
	if r == nil || r.PerSecond <= 0 {
		return
	}
	b.RPS.PerSecond = r.PerSecond
	m.c.from("/run/backfill/rps", source(m.vars["TARGET_VISITS_PER_DAY"], "TARGET_VISITS_PER_DAY")+
		" / 86400: without BACKFILL_RPS_LIMIT the legacy backfill started visits at this pace")
}

// backfillSeed maps BACKFILL_SEED to run.seed.
func (m *migration) backfillSeed() {
	seed, st, ok := m.number(num{key: "BACKFILL_SEED", integer: true, lo: -(1 << 53), hi: 1 << 53, vlo: 0, vhi: maxInt32})
	if st == nil || !ok {
		return
	}
	v := int64(seed)
	m.s.Run.Seed = &v
	m.c.from("/run/seed", source(st, "BACKFILL_SEED"))
	m.info(st, "/run/seed", "the legacy loader reseeded Python's random with BACKFILL_SEED + day index each day and still drew "+
		"order ids and the order of concurrent visits at random; run.seed makes trafficinator runs repeat exactly, but it does "+
		"not reproduce the legacy visits")
}
