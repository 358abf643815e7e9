package sink

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Live.getCounters and Live.getLastVisitsDetails read the visits of the
// ring (live.go), not archives: the last Config.MaxLiveVisits visits.

type liveCountersRow struct {
	Visits          int64 `json:"visits"`
	Actions         int64 `json:"actions"`
	Visitors        int64 `json:"visitors"`
	VisitsConverted int64 `json:"visitsConverted"`
}

// apiLiveCounters counts the site's visits whose last hit is at most
// lastMinutes old.
func (s *Sink) apiLiveCounters(q apiQuery) any {
	si, e := s.siteFor(q, "idSite")
	if e != nil {
		return e
	}
	minutes, err := strconv.Atoi(q.get("lastMinutes"))
	if err != nil || minutes < 0 {
		return errorf("The parameter 'lastMinutes' must be a number of minutes, got '%s'.", q.get("lastMinutes"))
	}
	since := s.now().Unix() - int64(minutes)*60
	var row liveCountersRow
	visitors := map[uint64]bool{}
	s.live.each(func(v *liveVisit) bool {
		if int(v.site) == si && v.last >= since {
			row.Visits++
			row.Actions += int64(v.actions)
			visitors[v.owner] = true
			if v.converted {
				row.VisitsConverted++
			}
		}
		return true
	})
	row.Visitors = int64(len(visitors))
	return []liveCountersRow{row}
}

type liveVisitJSON struct {
	IDSite        int              `json:"idSite"`
	IDVisit       uint32           `json:"idVisit"`
	VisitorID     string           `json:"visitorId"`
	ActionDetails []liveActionJSON `json:"actionDetails"`
	ServerDate    string           `json:"serverDate"`
	LastAction    int64            `json:"lastActionTimestamp"`
	LastDateTime  string           `json:"lastActionDateTime"`
	ServerTime    int64            `json:"serverTimestamp"`
	FirstAction   int64            `json:"firstActionTimestamp"`
	Converted     int              `json:"visitConverted"`
	Duration      int64            `json:"visitDuration"`
	Actions       int32            `json:"actions"`
	ReferrerType  string           `json:"referrerType"`
	CountryCode   string           `json:"countryCode"`
}

type liveActionJSON struct {
	Type          string   `json:"type"`
	URL           string   `json:"url,omitempty"`
	Keyword       string   `json:"siteSearchKeyword,omitempty"`
	EventCategory string   `json:"eventCategory,omitempty"`
	EventAction   string   `json:"eventAction,omitempty"`
	OrderID       string   `json:"orderId,omitempty"`
	Revenue       *float64 `json:"revenue,omitempty"`
	Timestamp     int64    `json:"timestamp"`
}

// liveTypeNames are Live's actionDetails types of the sink's kinds.
var liveTypeNames = [...]string{
	kindPageview: "action", kindSiteSearch: "search", kindOutlink: "outlink",
	kindDownload: "download", kindEvent: "event", kindOrder: "ecommerceOrder",
}

// apiLastVisits answers Live.getLastVisitsDetails: the site's visits in
// the period (by the day of the visit, in the site's timezone), most
// recent first, optionally of one visitor (segment=visitorId==X), at most
// filter_limit (100 by default, -1 for all).
func (s *Sink) apiLastVisits(q apiQuery) any {
	si, e := s.siteFor(q, "idSite")
	if e != nil {
		return e
	}
	site := &s.sites[si]
	r := dayRange{from: -1 << 31, to: 1<<31 - 1}
	if q.get("date") != "" {
		if r, e = periodOf(q.get("period"), q.get("date"), s.now().Unix(), site.loc); e != nil {
			return e
		}
	}
	var visitor uint64
	filterVisitor := false
	if seg := q.get("segment"); seg != "" {
		id, prefixed := strings.CutPrefix(seg, "visitorId==")
		var ok bool
		if visitor, ok = parseHex16(id); !ok || !prefixed {
			return errorf("The segment '%s' is not supported by the trafficinator sink: use visitorId==<16 hex digits>.", seg)
		}
		filterVisitor = true
	}
	var visits []visitCopy
	s.live.each(func(v *liveVisit) bool {
		if int(v.site) == si && r.has(v.day) && (!filterVisitor || v.owner == visitor) {
			visits = append(visits, visitCopy{id: v.id, owner: v.owner, day: v.day, first: v.first, last: v.last,
				ref: v.ref, country: v.country, actions: v.actions, converted: v.converted, log: slices.Clone(v.log)})
		}
		return true
	})
	slices.SortFunc(visits, func(a, b visitCopy) int { return cmp.Or(cmp.Compare(b.last, a.last), cmp.Compare(b.id, a.id)) })
	visits = limitRows(visits, q)
	withActions := q.get("doNotFetchActions") != "1"
	out := make([]liveVisitJSON, 0, len(visits))
	for i := range visits {
		v := &visits[i]
		j := liveVisitJSON{
			IDSite: site.id, IDVisit: v.id, VisitorID: hex16(v.owner), ActionDetails: []liveActionJSON{},
			ServerDate: dayString(v.day), LastAction: v.last, ServerTime: v.last, FirstAction: v.first,
			LastDateTime: time.Unix(v.last, 0).UTC().Format(time.DateTime), Duration: v.last - v.first,
			Actions: v.actions, ReferrerType: refTypes[v.ref].segment, CountryCode: v.country,
		}
		if v.converted {
			j.Converted = 1
		}
		if withActions {
			for _, a := range s.names.actions(v.log, v.first) {
				j.ActionDetails = append(j.ActionDetails, actionJSON(a))
			}
		}
		out = append(out, j)
	}
	return out
}

// visitCopy is what Live shows of a visit, copied out of its slot.
type visitCopy struct {
	id          uint32
	owner       uint64
	day         int32
	first, last int64
	ref         refKind
	country     string
	actions     int32
	converted   bool
	log         []byte
}

func actionJSON(a liveAction) liveActionJSON {
	j := liveActionJSON{Type: liveTypeNames[a.kind], URL: a.url, Keyword: a.keyword,
		EventCategory: a.category, EventAction: a.action, OrderID: a.orderID, Timestamp: a.unix}
	if a.kind == kindOrder {
		rev := money(a.revenueCents)
		j.Revenue = &rev
	}
	return j
}

// hex16 is a visitor id as Matomo shows it: 16 lower-case hex digits.
func hex16(id uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[id&15]
		id >>= 4
	}
	return string(b[:])
}
