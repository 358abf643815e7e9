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

// visitorState is 32 bytes: the sink keeps one per visitor for the run.
type visitorState struct {
	last  int64    // unix time of the latest hit of the current visit
	day   int32    // civil day of the current visit in the site timezone
	base  int32    // first day of the days bitmap (firstOnDay)
	days  uint32   // bit i: counted as a unique visitor on day base+i
	visit visitRef // the current visit (another visitor's when merged)
	flags uint8
}

// visitorState flags.
const (
	vsCounted uint8 = 1 << iota // counted among the site's visitors
	vsDropped                   // the current visit is dropped (DropVisits)
	vsDays                      // base and days are set
)

type siteAgg struct {
	visits, visitors           int64
	actions                    [numActionKinds]int64
	orders, carts, conversions int64
	revenue                    float64
	refKinds                   [numRefKinds]int64
	refHosts                   map[string]*int64 // pointers: updating an existing key costs no key copy
	countries                  map[string]int64
	hitsPerDay, visitsPerDay   map[int32]int64
	days                       map[int32]*dayAgg // for the Reporting API
	lastDay                    int32
	lastAgg                    *dayAgg
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
			days:         map[int32]*dayAgg{},
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

// recording is what record did with a hit.
type recording uint8

const (
	recRecorded  recording = iota
	recStalePing           // a ping that would open a new visit: Matomo ignores it ("visit is stale")
	recDropped             // part of a visit dropped on purpose (Config.DropVisits)
)

// record adds e to the shard of its visitor.
func (s *Sink) record(e *event) recording {
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
		return recStalePing
	}
	prevDay := st.day
	if newVisit {
		st.last, st.day = e.unix, e.day
		st.flags &^= vsDropped
		if s.mis.drops(e.visitor, e.unix) {
			st.flags |= vsDropped
			st.visit = visitRef{}
			e.rs.tally.droppedVisits++
		}
	} else if e.unix > st.last {
		st.last = e.unix
	}
	if st.flags&vsDropped != 0 {
		sh.visitors[k] = st
		e.rs.tally.droppedHits++
		return recDropped
	}
	agg := &sh.sites[e.site]
	day := agg.dayOf(e.day)
	var v *liveVisit
	if newVisit {
		if s.mis.merges(e.visitor, e.unix) {
			st.visit, v = s.mergeTarget(e)
		}
		if v != nil {
			e.rs.tally.mergedVisits++
		} else {
			v = s.openVisit(e, &st, agg, day, prevDay, seen)
		}
	} else {
		v = s.live.lock(st.visit)
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
	s.countHit(day, v, e)
	if v != nil {
		v.mu.Unlock()
	}
	return recRecorded
}

// openVisit counts a new visit of its own and returns it, locked.
func (s *Sink) openVisit(e *event, st *visitorState, agg *siteAgg, day *dayAgg, prevDay int32, seen bool) *liveVisit {
	if st.flags&vsCounted == 0 {
		st.flags |= vsCounted
		agg.visitors++
	}
	if st.firstOnDay(e.day, prevDay, seen) {
		day.uniq++
	}
	agg.visits++
	agg.visitsPerDay[e.day]++
	day.visits++
	// URLs are decoded only for the hits that open a visit.
	e.rs.pageURL = e.p.appendDecoded(e.rs.pageURL[:0], fURL)
	e.rs.refURL = e.p.appendDecoded(e.rs.refURL[:0], fURLRef)
	kind, host := classifyReferrer(e.rs.pageURL, e.rs.refURL, strings.TrimSpace(e.p.get(fRcn)) != "")
	agg.refKinds[kind]++
	day.refVisits[kind]++
	if host != nil {
		if n := agg.refHosts[string(host)]; n != nil {
			*n++
		} else {
			one := int64(1)
			agg.refHosts[string(host)] = &one
		}
	}
	country := countryOf(e.ip)
	agg.countries[country]++
	code := apiCountry(country)
	day.countries[code]++
	var v *liveVisit
	st.visit, v = s.live.open(s.nextVisitID(), e.site, e.day, e.visitor, e.unix)
	v.ref, v.country = kind, code
	return v
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
