package metrics

import (
	"container/heap"
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// sampler keeps the size visits with the smallest sample keys among those
// offered: a bounded max-heap. The key is a hash of (seed, run id, visit
// number), so the sample does not depend on timing or on the order in
// which visits end. Offers happen under the recorder's lock.
//
// A visit's LiveVisit is made when the visit is built, long before it
// ends, so which visits get one is decided then: those whose key is among
// the 2 × size smallest built so far (candidate). A visit among the size
// smallest of the run always is, whatever the order of building, so a run
// whose visits all get through samples exactly; a run with failed visits
// may sample fewer than size when more than size of the candidates
// failed. Visits in flight hold at most that many LiveVisits beyond the
// ones that got in early, when few keys were known.
type sampler struct {
	size int
	h    sampleHeap

	mu    sync.Mutex
	built keyHeap       // the 2 × size smallest keys built, a max-heap
	bound atomic.Uint64 // keys at or above it are not candidates
}

type sampled struct {
	key uint64
	v   *kind.LiveVisit
}

func newSampler(size int) *sampler {
	s := &sampler{size: size}
	s.bound.Store(math.MaxUint64)
	return s
}

// candidate reports whether a visit built with key may enter the sample,
// and remembers the key when it may. Most visits are turned away by the
// atomic bound, without the lock.
func (s *sampler) candidate(key uint64) bool {
	if key >= s.bound.Load() {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := 2 * s.size
	switch {
	case len(s.built) < limit:
		heap.Push(&s.built, key)
	case key < s.built[0]:
		s.built[0] = key
		heap.Fix(&s.built, 0)
	default:
		return false
	}
	if len(s.built) == limit {
		s.bound.Store(s.built[0])
	}
	return true
}

// offer adds v, under key, if it is among the size smallest keys so far.
func (s *sampler) offer(key uint64, v *kind.LiveVisit) {
	if len(s.h) < s.size {
		heap.Push(&s.h, sampled{key, v})
	} else if key < s.h[0].key {
		s.h[0] = sampled{key, v}
		heap.Fix(&s.h, 0)
	}
}

// visits returns copies of the sampled visits sorted by visitor id (a
// returning visitor's visits by their first action).
func (s *sampler) visits() []kind.LiveVisit {
	out := make([]kind.LiveVisit, len(s.h))
	for i, e := range s.h {
		out[i] = *e.v
		out[i].Actions = append([]kind.LiveAction(nil), e.v.Actions...)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		return a.VisitorID < b.VisitorID || a.VisitorID == b.VisitorID && a.First < b.First
	})
	return out
}

// sampleHeap is a max-heap by key.
type sampleHeap []sampled

func (h sampleHeap) Len() int           { return len(h) }
func (h sampleHeap) Less(i, j int) bool { return h[i].key > h[j].key }
func (h sampleHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *sampleHeap) Push(x any)        { *h = append(*h, x.(sampled)) }
func (h *sampleHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// keyHeap is a max-heap of keys.
type keyHeap []uint64

func (h keyHeap) Len() int           { return len(h) }
func (h keyHeap) Less(i, j int) bool { return h[i] > h[j] }
func (h keyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keyHeap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *keyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
