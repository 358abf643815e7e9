package sink

import (
	"encoding/binary"
	"hash/maphash"
	"sort"
	"sync"
)

// A visit's actions are kept as one byte slice, a few bytes per action:
// its kind, its time as a zigzag varint relative to the visit's first hit,
// then its strings. Strings that repeat across visits (URLs, keywords,
// event categories and actions) are interned and stored as a varint
// reference; others (order ids, and any string once the intern table is
// full) are stored inline.
//
//	pageview, download, outlink: url
//	site search:                 url, keyword
//	event:                       url, category, action
//	order:                       order id, revenue in cents (zigzag varint)

// liveAction is one decoded action.
type liveAction struct {
	kind         actionKind
	unix         int64
	url          string
	keyword      string
	category     string
	action       string
	orderID      string
	revenueCents int64
}

// hitStrings are the decoded strings of a hit that a visit lists, in the
// request's scratch buffers.
type hitStrings struct {
	url, keyword, category, action, orderID []byte
	revenueCents                            int64
}

func (in *interner) appendAction(log []byte, first, unix int64, kind actionKind, h *hitStrings) []byte {
	log = append(log, byte(kind))
	log = binary.AppendVarint(log, unix-first)
	switch kind {
	case kindOrder:
		log = appendInline(log, h.orderID)
		return binary.AppendVarint(log, h.revenueCents)
	case kindSiteSearch:
		log = in.appendRef(log, h.url)
		return in.appendRef(log, h.keyword)
	case kindEvent:
		log = in.appendRef(log, h.url)
		log = in.appendRef(log, h.category)
		return in.appendRef(log, h.action)
	}
	return in.appendRef(log, h.url)
}

// actions decodes a visit's log, in the order of their time.
func (in *interner) actions(log []byte, first int64) []liveAction {
	var out []liveAction
	for len(log) > 0 {
		a := liveAction{kind: actionKind(log[0])}
		log = log[1:]
		d, n := binary.Varint(log)
		log = log[n:]
		a.unix = first + d
		switch a.kind {
		case kindOrder:
			a.orderID, log = in.readString(log)
			a.revenueCents, n = binary.Varint(log)
			log = log[n:]
		case kindSiteSearch:
			a.url, log = in.readString(log)
			a.keyword, log = in.readString(log)
		case kindEvent:
			a.url, log = in.readString(log)
			a.category, log = in.readString(log)
			a.action, log = in.readString(log)
		default:
			a.url, log = in.readString(log)
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].unix < out[j].unix })
	return out
}

func appendInline(log, s []byte) []byte {
	log = binary.AppendUvarint(log, uint64(len(s))<<1|1)
	return append(log, s...)
}

// interner maps strings to numbers, in shards by hash so that hits of
// different visitors rarely wait for one lock. It stops taking strings at
// maxInterned (arbitrary traffic has endless URLs); later strings are
// stored inline.
type interner struct {
	seed   maphash.Seed
	shards [numInternShards]internShard
}

const (
	numInternShards = 16 // a power of two
	maxInterned     = 1 << 16
)

type internShard struct {
	mu   sync.RWMutex
	ids  map[string]uint32
	strs []string
}

func (in *interner) init() {
	in.seed = maphash.MakeSeed()
	for i := range in.shards {
		in.shards[i].ids = map[string]uint32{}
	}
}

func (in *interner) appendRef(log, s []byte) []byte {
	h := maphash.Bytes(in.seed, s) & (numInternShards - 1)
	sh := &in.shards[h]
	sh.mu.RLock()
	id, ok := sh.ids[string(s)]
	sh.mu.RUnlock()
	if !ok {
		sh.mu.Lock()
		if id, ok = sh.ids[string(s)]; !ok && len(sh.strs) < maxInterned/numInternShards {
			id, ok = uint32(len(sh.strs)), true
			str := string(s)
			sh.strs = append(sh.strs, str)
			sh.ids[str] = id
		}
		sh.mu.Unlock()
	}
	if !ok {
		return appendInline(log, s)
	}
	return binary.AppendUvarint(log, (uint64(id)*numInternShards+h)<<1)
}

func (in *interner) readString(log []byte) (string, []byte) {
	v, n := binary.Uvarint(log)
	log = log[n:]
	if v&1 == 1 {
		l := v >> 1
		return string(log[:l]), log[l:]
	}
	v >>= 1
	sh := &in.shards[v%numInternShards]
	sh.mu.RLock()
	s := sh.strs[v/numInternShards]
	sh.mu.RUnlock()
	return s, log
}

// hash is a hash of b, for sets of strings kept as numbers.
func (in *interner) hash(b []byte) uint64 { return maphash.Bytes(in.seed, b) }
