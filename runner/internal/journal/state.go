package journal

import (
	"math/bits"
	"sort"
)

// maxHits bounds the hits of one visit in a journal, so that a corrupt
// entry cannot make the reader allocate without end.
const maxHits = 1 << 20

// State is what a journal says of each visit. Visits all of whose hits
// were answered ok are settled: they are kept as one bit each in their
// day's bitmap and added to the day's totals. The others (in flight, cut,
// or with a hit that is not ok) keep the state of each hit.
type State struct {
	Header Header
	visits map[uint64][]Outcome
	days   map[uint64]*dayState
}

// dayState is the settled visits of one day (visit / Header.Stride).
type dayState struct {
	bits   []uint64 // bit i: visit day×stride + i is settled
	visits int64
	hits   int64
}

// NewState returns the empty state of a run with header h.
func NewState(h Header) *State {
	return &State{Header: h, visits: map[uint64][]Outcome{}, days: map[uint64]*dayState{}}
}

func (s *State) day(v uint64) (uint64, uint64) {
	if s.Header.Stride == 0 {
		return 0, v
	}
	return v / s.Header.Stride, v % s.Header.Stride
}

// Settled reports whether every hit of visit v was answered ok.
func (s *State) Settled(v uint64) bool {
	d, off := s.day(v)
	ds := s.days[d]
	if ds == nil || off/64 >= uint64(len(ds.bits)) {
		return false
	}
	return ds.bits[off/64]&(1<<(off%64)) != 0
}

// Hits returns the state of each hit of visit v, or nil when v is settled
// or the journal has nothing of it. Sending reads as Unknown. The slice is
// a copy.
func (s *State) Hits(v uint64) []Outcome {
	hs := s.visits[v]
	if hs == nil {
		return nil
	}
	out := make([]Outcome, len(hs))
	for i, o := range hs {
		if o == Sending {
			o = Unknown
		}
		out[i] = o
	}
	return out
}

// SettledIn returns the number of settled visits of the day that visit
// number first starts, and their hits.
func (s *State) SettledIn(first uint64) (visits, hits int64) {
	d, _ := s.day(first)
	if ds := s.days[d]; ds != nil {
		return ds.visits, ds.hits
	}
	return 0, 0
}

// Unsettled calls fn for each visit in [lo, hi) that the journal has and
// that is not settled, in no particular order.
func (s *State) Unsettled(lo, hi uint64, fn func(v uint64, hits []Outcome)) {
	for v := range s.visits {
		if v >= lo && v < hi {
			fn(v, s.Hits(v))
		}
	}
}

// apply records e; it returns false when e is not valid.
func (s *State) apply(e Entry) bool {
	if e.Hits <= 0 || e.Hits > maxHits || e.From < 0 || e.From >= e.To || e.To > e.Hits ||
		e.Outcome == None || e.Outcome >= maxOutcome {
		return false
	}
	if s.Settled(e.Visit) {
		return true // nothing more can happen to it
	}
	hs := s.visits[e.Visit]
	if len(hs) != e.Hits {
		if hs != nil {
			return false // another length than before: not this run's visit
		}
		hs = make([]Outcome, e.Hits)
		s.visits[e.Visit] = hs
	}
	for i := e.From; i < e.To; i++ {
		hs[i] = e.Outcome
	}
	for _, o := range hs {
		if o != OK {
			return true
		}
	}
	s.settle(e.Visit, int64(len(hs)))
	return true
}

// settle moves visit v, of n hits all ok, into its day's bitmap.
func (s *State) settle(v uint64, n int64) {
	delete(s.visits, v)
	d, off := s.day(v)
	ds := s.days[d]
	if ds == nil {
		ds = &dayState{}
		s.days[d] = ds
	}
	for uint64(len(ds.bits)) <= off/64 {
		ds.bits = append(ds.bits, 0)
	}
	if ds.bits[off/64]&(1<<(off%64)) == 0 {
		ds.bits[off/64] |= 1 << (off % 64)
		ds.visits++
		ds.hits += n
	}
}

// setRange marks offsets [lo, hi) settled.
func (ds *dayState) setRange(lo, hi uint64) {
	for uint64(len(ds.bits))*64 < hi {
		ds.bits = append(ds.bits, 0)
	}
	for o := lo; o < hi; {
		if o%64 == 0 && hi-o >= 64 {
			ds.bits[o/64] = ^uint64(0)
			o += 64
			continue
		}
		ds.bits[o/64] |= 1 << (o % 64)
		o++
	}
}

// runs returns the settled offsets of ds as [start, end) runs.
func (ds *dayState) runs() [][2]uint64 {
	var out [][2]uint64
	for w, word := range ds.bits {
		for word != 0 {
			lo := bits.TrailingZeros64(word)
			ones := bits.TrailingZeros64(^(word >> lo))
			start := uint64(w)*64 + uint64(lo)
			end := start + uint64(ones)
			if n := len(out); n > 0 && out[n-1][1] == start {
				out[n-1][1] = end
			} else {
				out = append(out, [2]uint64{start, end})
			}
			if lo+ones >= 64 {
				break
			}
			word &^= (1<<ones - 1) << lo
		}
	}
	return out
}

// sortedDays returns the day keys in order (so snapshots are stable).
func (s *State) sortedDays() []uint64 {
	keys := make([]uint64, 0, len(s.days))
	for k := range s.days {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func (s *State) sortedVisits() []uint64 {
	keys := make([]uint64, 0, len(s.visits))
	for k := range s.visits {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
