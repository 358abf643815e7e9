package legacy

import (
	"math"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// The legacy referrer walk (spec §3.3): categories in this order with
// these shares, starting at the direct probability D.
var legacyReferrers = []struct {
	name  string
	share float64
}{{"search", 0.35}, {"social", 0.15}, {"referral", 0.20}}

func (m *migration) buildTraffic() {
	t := &m.s.Traffic
	t.Pageviews = m.intRange("PAGEVIEWS", "/traffic/pageviews", 3, 6, 1, 100)
	t.Pause = m.durationRange("PAUSE_BETWEEN_PVS", "/traffic/pause", 0.5, 2.0, time.Second, "seconds", 0.1, 60)
	t.VisitDuration = m.durationRange("VISIT_DURATION", "/traffic/visit_duration", 1, 8, time.Minute, "minutes", 0.1, 120)
	m.buildSources()
	f := &model.Features{}
	t.Features = f
	for _, x := range []struct {
		key  string
		name string
		def  float64
		dst  **model.Feature
	}{
		{"SITESEARCH_PROBABILITY", "site_search", 0.15, &f.SiteSearch},
		{"OUTLINKS_PROBABILITY", "outlinks", 0.10, &f.Outlinks},
		{"DOWNLOADS_PROBABILITY", "downloads", 0.08, &f.Downloads},
		{"CLICK_EVENTS_PROBABILITY", "click_events", 0.25, &f.ClickEvents},
		{"RANDOM_EVENTS_PROBABILITY", "random_events", 0.12, &f.RandomEvents},
	} {
		p, st := m.probability(x.key, x.def)
		*x.dst = &model.Feature{Probability: &p}
		m.c.from("/traffic/features/"+x.name, source(st, x.key))
	}
	m.buildEcommerce(f)
	m.buildGeo(f)
}

// probability reads a per-visit chance in [0, 1].
func (m *migration) probability(key string, def float64) (float64, *setting) {
	p, st, _ := m.number(num{key: key, def: def, lo: 0, hi: 1, vlo: 0, vhi: 1, why: "a probability is between 0 and 1"})
	return p, st
}

// intRange reads PREFIX_MIN and PREFIX_MAX as an inclusive range of
// whole numbers; min > max is an error at the later of the two lines.
func (m *migration) intRange(prefix, path string, defMin, defMax, vlo, vhi float64) *model.IntRange {
	lo, lst, lok := m.number(num{key: prefix + "_MIN", def: defMin, integer: true, lo: 1, hi: maxInt32, vlo: vlo, vhi: vhi})
	hi, hst, hok := m.number(num{key: prefix + "_MAX", def: defMax, integer: true, lo: 1, hi: maxInt32, vlo: vlo, vhi: vhi})
	m.c.from(path, pairSource(prefix, lst, hst, ""))
	if lok && hok {
		m.checkOrder(prefix, lo, hi, lst, hst)
	}
	return &model.IntRange{Min: int(lo), Max: int(hi)}
}

// durationRange reads PREFIX_MIN and PREFIX_MAX, numbers of unit, as a
// range of durations.
func (m *migration) durationRange(prefix, path string, defMin, defMax float64, unit time.Duration, unitName string, vlo, vhi float64) *model.DurationRange {
	hiLimit := float64(math.MaxInt64/int64(unit)) / 2
	lo, lst, lok := m.number(num{key: prefix + "_MIN", def: defMin, lo: 0, hi: hiLimit, vlo: vlo, vhi: vhi})
	hi, hst, hok := m.number(num{key: prefix + "_MAX", def: defMax, lo: 0, hi: hiLimit, vlo: vlo, vhi: vhi})
	m.c.from(path, pairSource(prefix, lst, hst, " ("+unitName+")"))
	if lok && hok {
		m.checkOrder(prefix, lo, hi, lst, hst)
	}
	dlo, _ := toDuration(lo, unit)
	dhi, _ := toDuration(hi, unit)
	return &model.DurationRange{
		Min: model.Duration{Raw: fmtDuration(dlo), D: dlo},
		Max: model.Duration{Raw: fmtDuration(dhi), D: dhi},
	}
}

// pairSource is the trailing comment of a {min, max} range.
func pairSource(prefix string, lst, hst *setting, unit string) string {
	if lst == nil && hst == nil {
		return prefix + "_MIN, " + prefix + "_MAX not set: legacy default" + unit
	}
	return source(lst, prefix+"_MIN") + ", " + source(hst, prefix+"_MAX") + unit
}

// checkOrder reports min > max at whichever of the two was written later
// (or the one written, when the other is the legacy default).
func (m *migration) checkOrder(prefix string, lo, hi float64, lst, hst *setting) {
	if lo <= hi || lst == nil && hst == nil {
		return
	}
	switch {
	case hst == nil:
		m.errorf(lst, "", "%s_MIN (%s) is above %s_MAX (%s, the legacy default): the legacy visits failed on it", prefix, fmtNum(lo), prefix, fmtNum(hi))
	case lst == nil:
		m.errorf(hst, "", "%s_MAX (%s) is below %s_MIN (%s, the legacy default): the legacy visits failed on it", prefix, fmtNum(hi), prefix, fmtNum(lo))
	case hst.line >= lst.line:
		m.errorf(hst, "", "%s_MAX (%s) is below %s_MIN (%s, line %d)", prefix, fmtNum(hi), prefix, fmtNum(lo), lst.line)
	default:
		m.errorf(lst, "", "%s_MIN (%s) is above %s_MAX (%s, line %d)", prefix, fmtNum(lo), prefix, fmtNum(hi), hst.line)
	}
}

// buildSources keeps the legacy effective referrer mix. The loader walked
// search 0.35, social 0.15 and referral 0.20 from D upwards, so a direct
// share below 0.30 left a gap that fell through to direct (effective
// max(D, 0.30), defect 8) and one above 0.30 cut the last categories
// short. All four shares are written, so the plan keeps them exactly.
func (m *migration) buildSources() {
	d, st := m.probability("DIRECT_TRAFFIC_PROBABILITY", 0.30)
	shares := map[string]float64{}
	bound, taken := d, 0.0
	for _, c := range legacyReferrers {
		hi := math.Min(bound+c.share, 1)
		shares[c.name] = round6(math.Max(hi-bound, 0))
		taken += shares[c.name]
		bound += c.share
	}
	direct := round6(1 - taken)
	s := &model.Sources{Direct: &direct}
	for _, c := range legacyReferrers {
		v := shares[c.name]
		switch c.name {
		case "search":
			s.Search = &v
		case "social":
			s.Social = &v
		default:
			s.Referral = &v
		}
	}
	m.s.Traffic.Sources = s
	m.c.from("/traffic/sources", source(st, "DIRECT_TRAFFIC_PROBABILITY")+": the effective legacy mix")
	switch {
	case st == nil:
	case d < 0.30:
		m.info(st, "/traffic/sources", "DIRECT_TRAFFIC_PROBABILITY=%s was below 0.30, but the legacy tool sent %s of visits without a referrer "+
			"anyway (defect 8: the referrer categories add up to 70%%, the rest fell through to direct); the scenario keeps that effective mix, "+
			"direct %s; write sources: { direct: %s } to get what was configured", clip(st.value), percent(direct), fmtNum(direct), fmtNum(d))
	case d > 0.30:
		m.info(st, "/traffic/sources", "DIRECT_TRAFFIC_PROBABILITY=%s was above 0.30, so the legacy tool cut the last referrer categories short "+
			"(search %s, social %s, referral %s instead of 0.35, 0.15 and 0.20); the scenario keeps that effective mix",
			clip(st.value), fmtNum(shares["search"]), fmtNum(shares["social"]), fmtNum(shares["referral"]))
	}
}

func percent(f float64) string { return fmtNum(round6(f*100)) + "%" }

func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }
