package sink

import (
	"sync"
	"sync/atomic"
)

// Visits as Live.getLastVisitsDetails shows them. Every visit gets a slot
// of a ring of Config.MaxLiveVisits slots: its id, owner, times and its
// actions, compactly encoded (livelog.go). When the ring is full, the
// oldest visit's slot is reused, so the ring's memory stays bounded and,
// once it is full, recording a visit allocates nothing but the growth of
// its action log. A visitor refers to its current visit by slot and id; a
// reused slot has another id, so the visitor sees its visit is gone.

// DefaultMaxLiveVisits is the number of visits kept for Live when
// Config.MaxLiveVisits is 0.
const DefaultMaxLiveVisits = 100_000

// maxLiveActions bounds the actions listed for one visit; beyond it the
// visit still counts every action, and Live lists the first ones.
const maxLiveActions = 1000

// liveChunk slots are allocated together as the ring fills.
const liveChunk = 1024

// visitRef names a visit: its slot and its id (0: none).
type visitRef struct {
	slot uint32
	id   uint32
}

// liveVisit is one slot. Its fields are guarded by mu; a merged visit is
// written by the shards of two visitors.
type liveVisit struct {
	mu        sync.Mutex
	id        uint32 // idVisit; 0 for a free slot
	site      int32
	day       int32 // civil day in the site timezone
	owner     uint64
	first     int64
	last      int64
	ref       refKind
	country   string
	actions   int32 // actions counted (the log may list fewer)
	listed    int32 // actions in log
	converted bool
	evKeys    []uint64 // hashes of the event category/action pairs seen, for nb_visits
	log       []byte   // encoded actions (livelog.go)
}

// liveRing holds the visits. mu guards next, size and recent; a slot's
// content is guarded by its own lock. Lock order: a shard, then the ring,
// then a slot. Chunks are allocated as the ring fills and never move.
type liveRing struct {
	mu     sync.Mutex
	cap    uint32
	next   uint32 // slot of the next visit
	size   uint32 // slots in use
	chunks []atomic.Pointer[[liveChunk]liveVisit]
	recent []visitRef // per site index: the visit opened last
}

func (r *liveRing) init(capacity, nSites int) {
	r.cap = uint32(capacity)
	r.chunks = make([]atomic.Pointer[[liveChunk]liveVisit], (capacity+liveChunk-1)/liveChunk)
	r.recent = make([]visitRef, nSites)
}

func (r *liveRing) at(slot uint32) *liveVisit {
	return &r.chunks[slot/liveChunk].Load()[slot%liveChunk]
}

// open takes the next slot for a new visit (the oldest one when the ring is
// full), sets it up and returns it locked.
func (r *liveRing) open(id uint32, site, day int32, owner uint64, unix int64) (visitRef, *liveVisit) {
	r.mu.Lock()
	slot := r.next
	if c := &r.chunks[slot/liveChunk]; c.Load() == nil {
		c.Store(new([liveChunk]liveVisit))
	}
	r.next++
	if r.next == r.cap {
		r.next = 0
	}
	if r.size < r.cap {
		r.size++
	}
	ref := visitRef{slot: slot, id: id}
	r.recent[site] = ref
	v := r.at(slot)
	v.mu.Lock()
	r.mu.Unlock()
	v.id, v.site, v.day, v.owner = id, site, day, owner
	v.first, v.last = unix, unix
	v.actions, v.listed, v.converted = 0, 0, false
	v.evKeys, v.log = v.evKeys[:0], v.log[:0]
	if cap(v.log) == 0 {
		v.log = make([]byte, 0, 32) // room for about 8 actions: one allocation for most visits
	}
	return ref, v
}

// nextVisitID numbers visits from 1, skipping 0 (no visit) when the
// numbers wrap after 4 billion visits.
func (s *Sink) nextVisitID() uint32 {
	for {
		if id := s.visitIDs.Add(1); id != 0 {
			return id
		}
	}
}

// lock returns the visit of ref locked, or nil when its slot was reused.
func (r *liveRing) lock(ref visitRef) *liveVisit {
	if ref.id == 0 {
		return nil
	}
	v := r.at(ref.slot) // the chunk of a slot handed out exists for good
	v.mu.Lock()
	if v.id != ref.id {
		v.mu.Unlock()
		return nil
	}
	return v
}

// recentOf is the visit of the site opened last.
func (r *liveRing) recentOf(site int32) visitRef {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recent[site]
}

// each calls f with every visit in use, locked, until f returns false.
func (r *liveRing) each(f func(v *liveVisit) bool) {
	r.mu.Lock()
	size := r.size
	r.mu.Unlock()
	for slot := uint32(0); slot < size; slot++ {
		v := r.at(slot)
		v.mu.Lock()
		ok := v.id == 0 || f(v)
		v.mu.Unlock()
		if !ok {
			return
		}
	}
}
