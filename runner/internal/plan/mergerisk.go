package plan

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/catalog"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets"
)

// MergeRiskWarn is the estimated share of merged visits above which the
// plan warns.
const MergeRiskWarn = 0.01

// MergeRisk estimates the share of visits that Matomo merges or splits
// when all visits come from one IP address (no cip, no ip_header), at
// rate visits per second with visits of durMin..durMax simulated time
// and wallSpan seconds between their first and last request, over a run
// of runLength (0: long enough for a steady state).
//
// Matomo adds a hit without new_visit=1 to the most recent visit (by
// visit_last_action_time, that is cdt) of the last 30 minutes with the
// same fingerprint: IP, OS, browser and version, plugin flags, language
// (../shared/spec/matomo-tracking.md). A realtime visit's hits carry cdts
// over its simulated duration D ending when it starts sending, so two
// visits A and B (B starting Δ later) with one fingerprint get mixed up
// when B's first cdt is before A's last (Δ < D_B) or B starts before A
// has sent its last hit (Δ < A's wall span). Visits of a fingerprint f
// start as a Poisson stream of rate × p_f, so
//
//	risk = Σ_f p_f · E_D[1 − exp(−rate · p_f · (E[max(D', W)] + max(D, W)))]
//
// where the fingerprint pool is every user agent (one browser, version
// and OS each) × language × combination of plugin flags (drawn per
// device), and W is the mean wall span. A run shorter than that window
// caps it: its visits have only each other to mix with. The resolution is
// not part of the fingerprint. TestMergeRiskMatchesSimulation checks it against a
// simulation of Matomo's matching.
func MergeRisk(rate float64, durMin, durMax time.Duration, wallSpan float64, runLength time.Duration, langs []float64) float64 {
	if !(rate > 0) {
		return 0
	}
	w := max(wallSpan, 0)
	lo, hi := max(durMin.Seconds(), 0), max(durMax.Seconds(), durMin.Seconds(), 0)
	// D uniform in [lo, hi]: its quantiles, and E[max(D, w)].
	const q = 16
	var ds [q]float64
	meanMax := 0.0
	for i := range ds {
		ds[i] = max(lo+(hi-lo)*(float64(i)+0.5)/q, w)
		meanMax += ds[i] / q
	}
	windows := ds
	for i := range windows {
		windows[i] = meanMax + ds[i]
		if runLength > 0 {
			windows[i] = min(windows[i], runLength.Seconds())
		}
	}
	var agents probBins
	for _, agent := range agentFingerprints() {
		for _, pc := range agent {
			agents.add(pc, 1)
		}
	}
	// The fingerprints' probabilities, binned: a plan compiles in
	// milliseconds, where a sum over every fingerprint (a million) took
	// half a second.
	var fps probBins
	for _, a := range agents.bins {
		for _, pl := range langs {
			if pl > 0 {
				fps.add(a.mean()*pl, a.n)
			}
		}
	}
	risk := 0.0
	for _, b := range fps.bins {
		pf := b.mean()
		sum := 0.0
		for _, w := range windows {
			sum += -math.Expm1(-rate * pf * w)
		}
		risk += b.mass * sum / q
	}
	return risk
}

// probBins sums probabilities by bins of 1 % in value: n values of
// about mass/n each.
type probBins struct {
	idx  map[int]int
	bins []probBin
}

type probBin struct{ mass, n float64 }

func (b probBin) mean() float64 { return b.mass / b.n }

// add counts n values of probability p.
func (pb *probBins) add(p, n float64) {
	if !(p > 0) {
		return
	}
	if pb.idx == nil {
		pb.idx = map[int]int{}
	}
	k := int(math.Floor(math.Log(p) / math.Log1p(0.01)))
	i, ok := pb.idx[k]
	if !ok {
		i = len(pb.bins)
		pb.idx[k] = i
		pb.bins = append(pb.bins, probBin{})
	}
	pb.bins[i].mass += p * n
	pb.bins[i].n += n
}

// agentFingerprints are the fingerprints the user-agent pool and the
// plugin flags give, before the language: for each browser, version and
// OS (catalog.UserAgent.Fingerprint: rows of one fingerprint for several
// devices add up), the probability of each combination of plugin flags,
// which are drawn by device.
var agentFingerprints = sync.OnceValue(func() [][]float64 {
	uas := catalog.UserAgents()
	byFP := map[string]map[uint8]float64{}
	var order []string
	for i := range uas.Len() {
		ua := uas.Item(i)
		fp := ua.Fingerprint()
		if byFP[fp] == nil {
			byFP[fp] = map[uint8]float64{}
			order = append(order, fp)
		}
		addPluginCombos(byFP[fp], uas.Share(i), visit.PluginOdds(ua.Device))
	}
	out := make([][]float64, 0, len(order))
	for _, fp := range order {
		ps := make([]float64, 0, len(byFP[fp]))
		for _, p := range byFP[fp] {
			ps = append(ps, p)
		}
		sort.Float64s(ps) // a fixed order: the sum is the same every time
		out = append(out, ps)
	}
	return out
})

// addPluginCombos adds share × the probability of each combination of
// independent flags with these odds to m, leaving out those below 1e-12
// (they weigh nothing in the estimate).
func addPluginCombos(m map[uint8]float64, share float64, odds [8]float64) {
	type combo struct {
		bits uint8
		p    float64
	}
	cs := []combo{{0, share}}
	for i, p := range odds {
		next := make([]combo, 0, 2*len(cs))
		for _, c := range cs {
			if x := c.p * p; x >= 1e-12 {
				next = append(next, combo{c.bits | 1<<i, x})
			}
			if x := c.p * (1 - p); x >= 1e-12 {
				next = append(next, combo{c.bits, x})
			}
		}
		cs = next
	}
	for _, c := range cs {
		m[c.bits] += c.p
	}
}

// FingerprintCount is the effective number of distinct fingerprints of
// the pools, 1 / Σ p_f²: as many equally likely fingerprints would collide
// as often.
func FingerprintCount(langs []float64) float64 {
	l2 := 0.0
	for _, p := range langs {
		l2 += p * p
	}
	a2 := 0.0
	for _, agent := range agentFingerprints() {
		for _, p := range agent {
			a2 += p * p
		}
	}
	return 1 / (a2 * l2)
}

// LangShares is the distribution of the lang values visits send: each
// visit draws its language from its country's list (the general pool for
// a country without one), so a value's share is the sum over the country
// mix (the default table when mix is empty) of the country's share times
// the value's share in that country's list.
func LangShares(mix map[string]float64) []float64 {
	shares := map[string]float64{}
	add := func(country string, share float64) {
		langs, ok := catalog.CountryLanguages(country)
		if !ok {
			langs = catalog.Languages()
		}
		for j := range langs.Len() {
			shares[langs.Item(j)] += share * langs.Share(j)
		}
	}
	// Sorted, here and below, so that the float sums (and the plan's JSON)
	// are the same on every compile, whatever the map order.
	total := 0.0
	for _, c := range slices.Sorted(maps.Keys(mix)) {
		if share := mix[c]; share > 0 {
			add(c, share)
			total += share
		}
	}
	if total < 1 { // the rest goes to the default table, as the generator does
		for _, c := range targets.Countries() {
			add(c.Code, (1-total)*c.Share)
		}
	}
	langs := slices.Sorted(maps.Keys(shares))
	sum := 0.0
	for _, lang := range langs {
		sum += shares[lang]
	}
	out := make([]float64, 0, len(langs))
	for _, lang := range langs {
		out = append(out, shares[lang]/sum) // mixes over 1 are scaled down, as the generator does
	}
	return out
}

// checkMergeRisk warns for each enabled Matomo target whose visits all
// come from one address (no cip: no geo, and no ip_header) when the
// estimated share of merged visits is above MergeRiskWarn.
func (p *Plan) checkMergeRisk(s *scenario.Scenario) {
	rate, wall := p.peakVisitRate()
	for i := range p.Targets {
		t := &p.Targets[i]
		if !t.Enabled || t.Kind != scenario.KindMatomo || t.Features.Geo || t.IPHeader != "" {
			continue
		}
		langs := LangShares(t.Features.GeoCountries)
		risk := MergeRisk(rate, p.Traffic.DurationMin.D(), p.Traffic.DurationMax.D(), wall, p.runLength(rate), langs)
		t.MergeRisk = risk
		if risk <= MergeRiskWarn {
			continue
		}
		d := scenario.Diagnostic{
			File: p.File, Severity: scenario.SeverityWarning, Path: fmt.Sprintf("/targets/%d/name", i),
			Message: fmt.Sprintf("target %q: Matomo will merge or split about %.1f%% of visits: without cip every visit comes from one IP, "+
				"and at %.4g visits/s visits overlapping in their simulated time share one of only about %.0f distinct fingerprints (user agent, language, plugins)",
				t.Name, 100*risk, rate, FingerprintCount(langs)),
			Hint: "set token_auth with geo on (each visit gets its own cip), or ip_header: X-Forwarded-For with proxy_client_headers[] in Matomo's config.ini.php (docs/visits.md#token-less-runs)",
		}
		d = d.At(s.Source.Pos(fmt.Sprintf("/targets/%d/name", i), true))
		p.Warnings = append(p.Warnings, d)
		p.mergeWarnings = append(p.mergeWarnings, d)
	}
}

// MergeWarnings are the plan's warnings about visits Matomo would merge
// (checkMergeRisk): validate shows them too, though it compiles no plan of
// its own otherwise.
func (p *Plan) MergeWarnings() scenario.Diagnostics { return p.mergeWarnings }

// peakVisitRate is the highest rate at which visits start, in the time of
// their cdts, and the mean wall time between a visit's first and last
// request: realtime, the peak of the timeline and the visit's pauses;
// backfill, the busiest hour of the window and no pauses.
func (p *Plan) peakVisitRate() (rate, wall float64) {
	if bf := p.Backfill; bf != nil {
		for _, d := range bf.Days {
			total := 0.0
			for _, s := range d.Slots {
				total += max(s.Weight, 0)
			}
			for _, s := range d.Slots {
				if total > 0 {
					rate = max(rate, float64(d.Visits)*max(s.Weight, 0)/total/3600)
				}
			}
		}
		return rate, 0
	}
	for _, s := range p.Stages {
		rate = max(rate, s.FromRate, s.ToRate)
	}
	pauses := float64(p.Traffic.PageviewsMin+p.Traffic.PageviewsMax)/2 - 1 // between pageviews; actions add a few
	wall = max(pauses, 0) * (p.Traffic.PauseMin.D() + p.Traffic.PauseMax.D()).Seconds() / 2
	return rate, wall
}

// runLength is how long visits keep starting: the backfill window's, the
// timeline's, or max_visits at rate; 0 for an open-ended run.
func (p *Plan) runLength(rate float64) time.Duration {
	if p.Backfill != nil {
		return 0 // a day of visits at least: longer than any visit
	}
	end := p.pacer.End()
	if p.Stop.MaxVisits > 0 && rate > 0 {
		byVisits := time.Duration(float64(p.Stop.MaxVisits) / rate * float64(time.Second))
		if end == 0 || byVisits < end {
			end = byVisits
		}
	}
	return end
}
