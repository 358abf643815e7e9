package visit

import (
	"strconv"
	"time"
)

// MinReturnGap is the least time between a visitor's last hit and its next
// visit: Matomo ends a visit after 30 minutes without a hit, so a visitor
// that comes back sooner would continue its old visit.
const MinReturnGap = 30 * time.Minute

// Returning makes a share of visits come from earlier visitors of the same
// run. Which visit returns, and as whom, is a pure function of (seed, run
// id, visit index) and of the plan, so that sharding, streaming days and
// resume see the same visitors.
//
// Visit i returns as the visitor of visit j = Previous(i) when j's visitor
// comes back (a draw of j's own, keyed by the run id, below Share) and
// visit i's first hit is at least MinReturnGap after visit j's last
// (Span). Visit j may itself be a returning visit: the walk goes on to
// the visitor's first visit, whose identity (_id, cip, user agent, lang,
// res, plugins, country) the returning visit sends, with _idvc = its
// number of visits and _viewts = the start of visit j.
type Returning struct {
	Share float64
	// Previous is the visit the visitor of visit i would have made before
	// it; false when the run has none (its first day, or its first
	// visits).
	Previous func(i uint64) (uint64, bool)
	// Span is the planned time of a visit's first and last hit, on a
	// clock common to the run's visits (it need not be the wall clock:
	// only differences count). The visit is generated but not placed.
	Span func(v *Visit) (first, last time.Time)
}

// returnSalt keeps the come-back draw of a visit apart from its other
// streams.
const returnSalt = 0x510e527fade682d1

// comesBack reports whether the visitor of visit j makes another visit.
func (rt *Returning) comesBack(seed uint64, runID string, j uint64) bool {
	return newRand(seed^runKey(runID)^returnSalt, j).Float64() < rt.Share
}

// returnInfo is what a returning visit sends about its visitor.
type returnInfo struct {
	root  uint64        // the visitor's first visit, whose identity it has
	count int           // _idvc: this visit's number among the visitor's visits
	since time.Duration // from the previous visit's first hit to this visit's last
}

// resolve finds out whether visit i, generated as v (as a new visitor),
// is a returning visit.
func (rt *Returning) resolve(cfg *Config, seed, i uint64, v *Visit) (returnInfo, bool) {
	if rt == nil || rt.Share <= 0 || rt.Previous == nil || rt.Span == nil {
		return returnInfo{}, false
	}
	info := returnInfo{count: 1}
	cur := v
	for {
		j, ok := rt.Previous(cur.Index)
		if !ok || j >= cur.Index || !rt.comesBack(seed, cfg.RunID, j) {
			break
		}
		prev := generate(cfg, seed, j, nil)
		first, _ := rt.Span(cur)
		pFirst, pLast := rt.Span(prev)
		if first.Sub(pLast) < MinReturnGap {
			prev.Release()
			break
		}
		if info.count == 1 {
			_, last := rt.Span(v)
			info.since = last.Sub(pFirst)
		}
		info.count++
		info.root = j
		if cur != v {
			cur.Release()
		}
		cur = prev
	}
	if cur != v {
		cur.Release()
	}
	return info, info.count > 1
}

// viewTS is the _viewts of a placed returning visit: the unix time of its
// visitor's previous visit, from the planned times.
func (v *Visit) viewTS() string {
	return strconv.FormatInt(v.Start.Add(v.Duration).Add(-v.since).Unix(), 10)
}
