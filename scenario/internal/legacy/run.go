package legacy

import (
	"math"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// Legacy loader defaults that differ from the v1 defaults, and so are
// always written out.
const (
	legacyTimezone = "CET" // the loader's; the README and compose files said UTC
	legacyCurrency = "SEK" // the loader's; the README and compose files said USD
)

// maxInt32 bounds integers that Matomo and the schema keep in 32 bits.
const maxInt32 = 1<<31 - 1

// source names where a value came from, for the trailing comment: the
// assignment as written, or the legacy default.
func source(st *setting, key string) string {
	if st == nil {
		return key + " not set: legacy default"
	}
	if isSecretKey(key) {
		return key
	}
	return key + "=" + clip(diag.RedactURL(st.raw))
}

func (m *migration) buildRun() {
	r := &m.s.Run
	r.Mode = "realtime"
	if st := m.vars["BACKFILL_ENABLED"]; st != nil {
		m.c.from("/run/mode", source(st, "BACKFILL_ENABLED"))
	} else {
		m.c.from("/run/mode", "BACKFILL_ENABLED not set")
	}

	rate, st, _ := m.number(num{key: "TARGET_VISITS_PER_DAY", def: 20000, lo: 0, hi: math.Inf(1), vlo: 1, vhi: 1e6,
		why: "a visit rate cannot be negative"})
	r.Rate = &model.Rate{Raw: fmtNum(rate) + "/day", PerSecond: rate / 86400}
	m.c.from("/run/rate", source(st, "TARGET_VISITS_PER_DAY"))

	conc, st, _ := m.number(num{key: "CONCURRENCY", def: 50, integer: true, lo: 1, hi: maxInt32, vlo: 1, vhi: 500})
	r.Concurrency = int(conc)
	m.c.from("/run/concurrency", source(st, "CONCURRENCY"))

	m.buildTimezone()
	m.buildStops()
}

func (m *migration) buildTimezone() {
	r := &m.s.Run
	st := m.get("TIMEZONE")
	r.Timezone = legacyTimezone
	if st == nil {
		m.c.from("/run/timezone", "TIMEZONE not set: legacy default")
		m.c.note("/run/timezone", "The legacy loader defaulted to CET, while its README and docker-compose files said "+
			"UTC; the loader's behaviour wins. As in the legacy tool, the timezone sets the local days of a backfill "+
			"and does not shift realtime timestamps.")
		return
	}
	m.c.from("/run/timezone", source(st, "TIMEZONE")+"; the local days of a backfill, as in the legacy tool")
	if _, err := time.LoadLocation(st.value); err != nil || st.value == "" {
		m.errorf(st, "use an IANA name such as Europe/Stockholm, America/New_York or UTC",
			"TIMEZONE=%s is not a known timezone (the legacy loader fell back to UTC and warned on every visit)", clip(st.value))
		return
	}
	r.Timezone = st.value
}

// buildStops maps the realtime stop conditions. Backfill runs ignore them,
// in the legacy loader and here.
func (m *migration) buildStops() {
	r := &m.s.Run
	hours, hst, hok := m.number(num{key: "AUTO_STOP_AFTER_HOURS", def: 0, lo: 0, hi: 2e6, vlo: 0, vhi: 168,
		why: "hours cannot be negative"})
	capv, cst, cok := m.number(num{key: "MAX_TOTAL_VISITS", def: 0, integer: true, lo: 0, hi: math.MaxInt64, vlo: 0, vhi: 1e7,
		why: "a visit count cannot be negative"})
	if m.backfillRequested() {
		for _, st := range []*setting{hst, cst} {
			if st != nil {
				m.info(st, "", "%s is not used: it applies to realtime runs, and BACKFILL_ENABLED is true (the legacy loader ignored it too)", st.key)
				m.drop("%s (line %d): realtime only; this is a backfill.", st.key, st.line)
			}
		}
		return
	}
	if hok && hours > 0 {
		d, _ := toDuration(hours, time.Hour)
		r.Duration = &model.Duration{Raw: fmtDuration(d), D: d}
		m.c.from("/run/duration", source(hst, "AUTO_STOP_AFTER_HOURS")+" (hours)")
		m.info(hst, "/run/duration", "the legacy run stopped up to 10s after AUTO_STOP_AFTER_HOURS and cut the visits in flight "+
			"short (defect 13); trafficinator stops at run.duration and lets visits in flight finish within --grace")
	}
	if cok && capv > 0 {
		r.DailyCap = int64(capv)
		m.c.from("/run/daily_cap", source(cst, "MAX_TOTAL_VISITS"))
		m.warn(cst, "/run/daily_cap", "",
			"MAX_TOTAL_VISITS becomes run.daily_cap, its documented meaning (at most this many visits in any 24 hours); "+
				"the legacy code instead crashed its producer and sent no visit at all (defect B1), and would otherwise "+
				"have stopped the run at this total; for a total, use run.max_visits")
	}
	if r.Duration == nil && hok {
		m.c.note("/run", "No run.duration: without AUTO_STOP_AFTER_HOURS the legacy run went on until it was stopped, and so does this one.")
	}
}
