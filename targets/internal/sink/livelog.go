package sink

import (
	"encoding/binary"
	"hash/maphash"
	"sort"
	"sync"
	"unsafe"
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

// hitStrings are the strings of a hit that a visit lists: url and keyword
// as received (escaped or not, decoded when Live reads them, so that a
// hit costs no decoding), the others decoded into the request's scratch
// buffers.
type hitStrings struct {
	url, keyword              raw
	category, action, orderID []byte
	revenueCents              int64
}

// raw is a parameter value as received, and whether it is URL-encoded.
type raw struct {
	s       string
	escaped bool
}

func (in *interner) appendAction(log []byte, first, unix int64, kind actionKind, h *hitStrings) []byte {
	log = append(log, byte(kind))
	log = binary.AppendVarint(log, unix-first)
	switch kind {
	case kindOrder:
		log = appendInline(log, h.orderID, false)
		return binary.AppendVarint(log, h.revenueCents)
	case kindSiteSearch:
		log = in.appendRaw(log, h.url)
		return in.appendRaw(log, h.keyword)
	case kindEvent:
		log = in.appendRaw(log, h.url)
		log = in.appendRef(log, h.category, false)
		return in.appendRef(log, h.action, false)
	}
	return in.appendRaw(log, h.url)
}

func (in *interner) appendRaw(log []byte, r raw) []byte {
	return in.appendRef(log, unsafeBytes(r.s), r.escaped)
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

// A string is a uvarint v: v&1 tells an inline string (v>>2 bytes follow)
// from a reference (v>>2 is the id); v&2 that the string is URL-encoded.
const (
	strInline  = 1
	strEscaped = 2
)

func appendInline(log, s []byte, escaped bool) []byte {
	log = binary.AppendUvarint(log, uint64(len(s))<<2|flagBits(escaped)|strInline)
	return append(log, s...)
}

func flagBits(escaped bool) uint64 {
	if escaped {
		return strEscaped
	}
	return 0
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

func (in *interner) appendRef(log, s []byte, escaped bool) []byte {
	h := internShardOf(s)
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
		return appendInline(log, s, escaped)
	}
	return binary.AppendUvarint(log, (uint64(id)*numInternShards+h)<<2|flagBits(escaped))
}

// internShardOf picks a shard from a few bytes of s: cheaper than a hash,
// and URLs of one site differ in their length and last characters.
func internShardOf(s []byte) uint64 {
	n := len(s)
	if n == 0 {
		return 0
	}
	x := uint64(n) ^ uint64(s[n-1])<<3 ^ uint64(s[n/2])<<1 ^ uint64(s[n*3/4])<<5
	return (x ^ x>>4 ^ x>>8) & (numInternShards - 1)
}

func (in *interner) readString(log []byte) (string, []byte) {
	v, n := binary.Uvarint(log)
	log = log[n:]
	var s string
	if v&strInline != 0 {
		l := v >> 2
		s, log = string(log[:l]), log[l:]
	} else {
		id := v >> 2
		sh := &in.shards[id%numInternShards]
		sh.mu.RLock()
		s = sh.strs[id/numInternShards]
		sh.mu.RUnlock()
	}
	if v&strEscaped != 0 {
		s, _ = unescape(s)
	}
	return s, log
}

// hash is a hash of b, for sets of strings kept as numbers.
func (in *interner) hash(b []byte) uint64 { return maphash.Bytes(in.seed, b) }

// unsafeBytes views s as bytes without copying, for appending and map
// lookups that never modify or keep them.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
