package sink

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

// What Matomo would record is aggregated in shards chosen by a hash of the
// visitor, so that hits of different visitors never wait for one lock. All
// state of a visitor (its visit and the site counters its hits touch) lives
// in one shard; Stats merges the shards.

const numShards = 64 // a power of two

// visitTimeout is Matomo's default visit length: a hit 30 minutes or more
// after the last one starts a new visit.
const visitTimeout = 30 * 60

type actionKind uint8

const (
	kindPageview actionKind = iota
	kindSiteSearch
	kindOutlink
	kindDownload
	kindEvent
	kindPing
	// Conversions are not actions in Matomo: an order leaves no action row.
	kindOrder
	kindCart
	kindGoal
)

// numActionKinds counts the kinds reported in actions_by_kind.
const numActionKinds = kindPing + 1

var actionNames = [numActionKinds]string{"pageview", "site_search", "outlink", "download", "event", "ping"}

type visitorKey struct {
	site int32 // index into Sink.sites
	id   uint64
}

type visitorState struct {
	last int64 // unix time of the latest hit of the current visit
	day  int32 // civil day of the current visit in the site timezone
}

type siteAgg struct {
	visits, visitors           int64
	actions                    [numActionKinds]int64
	orders, carts, conversions int64
	revenue                    float64
	refKinds                   [numRefKinds]int64
	refHosts                   map[string]*int64 // pointers: updating an existing key costs no key copy
	countries                  map[string]int64
	hitsPerDay, visitsPerDay   map[int32]int64
}

type shard struct {
	mu       sync.Mutex
	visitors map[visitorKey]visitorState
	sites    []siteAgg
	_        [64]byte // keep neighbouring shards' locks on different cache lines
}

func (sh *shard) init(nSites int) {
	sh.visitors = map[visitorKey]visitorState{}
	sh.sites = make([]siteAgg, nSites)
	for i := range sh.sites {
		sh.sites[i] = siteAgg{
			refHosts:     map[string]*int64{},
			countries:    map[string]int64{},
			hitsPerDay:   map[int32]int64{},
			visitsPerDay: map[int32]int64{},
		}
	}
}

// event is a hit that passed every check, reduced to what recording needs.
type event struct {
	site     int32
	visitor  uint64
	unix     int64
	day      int32
	newVisit bool // new_visit=1
	kind     actionKind
	revenue  float64
	ip       netip.Addr // for the country of a new visit
	p        *params    // for the referrer of a new visit
	rs       *reqState  // scratch buffers to decode url and urlref into
}

// record adds e to the shard of its visitor. It reports false for a ping
// that would open a new visit: Matomo ignores such pings ("visit is stale").
func (s *Sink) record(e *event) bool {
	k := visitorKey{site: e.site, id: e.visitor}
	sh := &s.shards[shardOf(k)]
	sh.mu.Lock()
	defer sh.mu.Unlock()

	st, seen := sh.visitors[k]
	gap := e.unix - st.last
	if gap < 0 {
		gap = -gap // bulk entries and parallel requests may arrive out of order
	}
	newVisit := !seen || e.newVisit || gap >= visitTimeout || st.day != e.day
	if newVisit && e.kind == kindPing {
		return false
	}
	agg := &sh.sites[e.site]
	if !seen {
		agg.visitors++
	}
	if newVisit {
		st = visitorState{last: e.unix, day: e.day}
		agg.visits++
		agg.visitsPerDay[e.day]++
		// URLs are decoded only for the hits that open a visit.
		e.rs.pageURL = e.p.appendDecoded(e.rs.pageURL[:0], fURL)
		e.rs.refURL = e.p.appendDecoded(e.rs.refURL[:0], fURLRef)
		kind, host := classifyReferrer(e.rs.pageURL, e.rs.refURL, strings.TrimSpace(e.p.get(fRcn)) != "")
		agg.refKinds[kind]++
		if host != nil {
			if n := agg.refHosts[string(host)]; n != nil {
				*n++
			} else {
				one := int64(1)
				agg.refHosts[string(host)] = &one
			}
		}
		agg.countries[countryOf(e.ip)]++
	} else if e.unix > st.last {
		st.last = e.unix
	}
	sh.visitors[k] = st
	agg.hitsPerDay[e.day]++
	switch e.kind {
	case kindOrder:
		agg.orders++
		agg.revenue += e.revenue
	case kindCart:
		agg.carts++
	case kindGoal:
		agg.conversions++
	default:
		agg.actions[e.kind]++
	}
	return true
}

// unknownCountry counts visits whose IP is not in the geoip table (or that
// came without cip, from a local address).
const unknownCountry = "unknown"

func countryOf(ip netip.Addr) string {
	if c, ok := matomodata.Lookup(ip); ok {
		return c
	}
	return unknownCountry
}

func shardOf(k visitorKey) uint64 {
	h := (k.id ^ uint64(k.site)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
	return h >> (64 - 6) // top bits: numShards = 64
}
