package metrics

import (
	"container/heap"
	"math"
	"sort"
	"sync/atomic"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// sampler keeps the size visits with the smallest sample keys among those
// offered: a bounded max-heap. The key is a hash of (seed, run id, visit
// number), so the sample does not depend on timing or on the order in
// which visits end. Offers happen under the recorder's lock; the bound is
// published in an atomic so that builders can skip visits that cannot
// enter without taking the lock.
type sampler struct {
	size  int
	h     sampleHeap
	bound atomic.Uint64 // keys at or above it cannot enter
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

func (s *sampler) wants(key uint64) bool { return key < s.bound.Load() }

// offer adds v, under key, if it is among the size smallest keys so far.
func (s *sampler) offer(key uint64, v *kind.LiveVisit) {
	if len(s.h) < s.size {
		heap.Push(&s.h, sampled{key, v})
	} else if key < s.h[0].key {
		s.h[0] = sampled{key, v}
		heap.Fix(&s.h, 0)
	} else {
		return
	}
	if len(s.h) == s.size {
		s.bound.Store(s.h[0].key)
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
