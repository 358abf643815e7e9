package sink

import (
	"fmt"
	"math"
)

// Misbehaviour for tests and demos of delivery verification: the sink can
// lose whole visits (DropVisits) or record a new visit into another
// visitor's open one (MergeVisits), while answering every hit as a
// success. Which visits is decided by a seeded hash of the visitor id and
// the visit's first hit time, so every hit of a visit shares the fate of
// its first, and a run is reproducible.

// misbehave holds the thresholds of the two shares.
type misbehave struct {
	seed        uint64
	drop, merge uint64 // a visit is picked when its hash is below
	dropAll     bool   // share 1: every visit
	mergeAll    bool
}

// salts keep the two choices independent of each other.
const (
	saltDrop  = 0x6a09e667f3bcc908
	saltMerge = 0xbb67ae8584caa73b
)

func newMisbehave(cfg Config) (misbehave, error) {
	m := misbehave{seed: cfg.MisbehaveSeed}
	for _, c := range []struct {
		name  string
		share float64
		limit *uint64
		all   *bool
	}{{"DropVisits", cfg.DropVisits, &m.drop, &m.dropAll}, {"MergeVisits", cfg.MergeVisits, &m.merge, &m.mergeAll}} {
		if !(c.share >= 0 && c.share <= 1) {
			return m, fmt.Errorf("sink: %s %v is not a share between 0 and 1", c.name, c.share)
		}
		*c.limit = uint64(c.share * math.Exp2(64)) // below 2^64 for shares below 1
		*c.all = c.share == 1
	}
	return m, nil
}

// pick reports whether the visit of visitor starting at unix is among the
// share given by limit.
func (m *misbehave) pick(limit uint64, all bool, salt, visitor uint64, unix int64) bool {
	if all {
		return true
	}
	if limit == 0 {
		return false
	}
	return mix64(visitor^mix64(uint64(unix)^m.seed^salt)) < limit
}

func (m *misbehave) drops(visitor uint64, unix int64) bool {
	return m.pick(m.drop, m.dropAll, saltDrop, visitor, unix)
}

func (m *misbehave) merges(visitor uint64, unix int64) bool {
	return m.pick(m.merge, m.mergeAll, saltMerge, visitor, unix)
}

// mix64 is SplitMix64's finaliser: every input bit moves every output bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// mergeTarget is the site's most recent visit, locked, when it belongs to
// another visitor and is still open at e: same day, its last hit less
// than 30 minutes away.
func (s *Sink) mergeTarget(e *event) (visitRef, *liveVisit) {
	ref := s.live.recentOf(e.site)
	v := s.live.lock(ref)
	if v == nil {
		return ref, nil
	}
	gap := e.unix - v.last
	if gap < 0 {
		gap = -gap
	}
	if v.owner == e.visitor || v.day != e.day || gap >= visitTimeout {
		v.mu.Unlock()
		return ref, nil
	}
	return ref, v
}
