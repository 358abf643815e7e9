package loadtest

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// Kind classifies a hit from its parameters as the visit model writes
// them: the ping, then the action parameters, then a pageview.
func Kind(h Hit) kind.HitKind {
	p := h.Params
	switch {
	case p.Get("ping") == "1":
		return kind.Ping
	case p.Has("search"):
		return kind.SiteSearch
	case p.Has("link"):
		return kind.Outlink
	case p.Has("download"):
		return kind.Download
	case p.Has("e_c"):
		return kind.Event
	case p.Get("idgoal") == "0" && p.Has("ec_id"):
		return kind.Order
	}
	return kind.Pageview
}

// Visit is the hits of one visitor id, in the order the sink accepted them.
type Visit struct {
	ID   string // _id
	Hits []Hit
}

// GroupVisits groups hits by _id, keeping each visit's hits in arrival
// order; visits are ordered by their first hit.
func GroupVisits(hits []Hit) []Visit {
	index := map[string]int{}
	var out []Visit
	for _, h := range hits {
		id := h.Params.Get("_id")
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			out = append(out, Visit{ID: id})
		}
		out[i].Hits = append(out[i].Hits, h)
	}
	return out
}

// CDT parses a hit's cdt, which must be "YYYY-MM-DD HH:MM:SS" in UTC.
func CDT(h Hit) (time.Time, error) {
	return time.ParseInLocation(visit.CDTLayout, h.Params.Get("cdt"), time.UTC)
}

// Fingerprint is a digest of a visit that leaves out what depends on the
// wall clock: every parameter of every hit, in order, except cdt and the
// local time h, m, s. cdt is the visit's simulated time anchored at the
// wall clock and truncated to the second, so even its offsets from the
// first hit vary by a second with the anchor's fraction; CDTOffsets gives
// them for a comparison with that tolerance, and h, m, s follow cdt. Two runs of the same seeded scenario give the same
// fingerprints whatever their concurrency.
func Fingerprint(v Visit) string {
	h := sha256.New()
	for _, hit := range v.Hits {
		keys := make([]string, 0, len(hit.Params))
		for k := range hit.Params {
			if !wallClock[k] {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			for _, val := range hit.Params[k] {
				h.Write([]byte(k + "=" + val + "\x00"))
			}
		}
		h.Write([]byte("\x01"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// wallClock are the parameters that follow the wall-clock anchor of a
// realtime visit: cdt and the visitor's local time h, m, s.
var wallClock = map[string]bool{"cdt": true, "h": true, "m": true, "s": true}

// CDTOffsets returns each hit's cdt minus the first hit's, or an error for
// a cdt that is missing or not "YYYY-MM-DD HH:MM:SS".
func CDTOffsets(v Visit) ([]time.Duration, error) {
	out := make([]time.Duration, len(v.Hits))
	var first time.Time
	for i, h := range v.Hits {
		t, err := CDT(h)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = t
		}
		out[i] = t.Sub(first)
	}
	return out, nil
}
