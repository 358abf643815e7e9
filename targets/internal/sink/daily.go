package sink

import (
	"encoding/json"
	"math"
)

// What the Reporting API answers is kept per site and per day (the site's
// timezone, the day the sink attributes a visit to), in the shard of the
// visitor whose hit it counts; the API sums the shards.

// dayAgg is one site's day in one shard. Money is in cents.
type dayAgg struct {
	visits, uniq, actions          int64
	kinds                          [numActionKinds]int64
	bounces, sumLength, maxActions int64
	converted                      int64 // visits with an order
	orders, items                  int64
	revenue, subtotal, tax         int64
	shipping, discount             int64
	refVisits, refActions          [numRefKinds]int64
	countries                      map[string]int64  // visits by lower-case code, "xx" unknown
	events                         map[string]*evAgg // by category + "\x00" + action
}

type evAgg struct{ events, visits int64 }

// dayOf returns the site's aggregate of day, made on first use. The last
// one is cached: hits come in runs of one day.
func (a *siteAgg) dayOf(day int32) *dayAgg {
	if a.lastAgg != nil && a.lastDay == day {
		return a.lastAgg
	}
	d := a.days[day]
	if d == nil {
		d = &dayAgg{countries: map[string]int64{}, events: map[string]*evAgg{}}
		a.days[day] = d
	}
	a.lastDay, a.lastAgg = day, d
	return d
}

// firstOnDay reports whether the visitor was not yet counted as a unique
// visitor of day, and marks it. A bitmap covers 32 days from the first day
// counted (a backfill's days, in any order); a day outside it counts
// whenever it differs from the day of the visitor's previous visit.
func (st *visitorState) firstOnDay(day, prevDay int32, seen bool) bool {
	if st.flags&vsDays == 0 {
		st.flags |= vsDays
		st.base, st.days = day, 1
		return true
	}
	off := int64(day) - int64(st.base)
	if off < 0 && -off < 32 && st.days>>(32+off) == 0 {
		st.days <<= uint(-off) // room below: move the window down
		st.base, off = day, 0
	}
	if off < 0 || off >= 32 {
		return !seen || day != prevDay
	}
	bit := uint32(1) << uint(off)
	if st.days&bit != 0 {
		return false
	}
	st.days |= bit
	return true
}

// countHit adds a recorded hit to its day and, when its visit is still in
// the ring (v, locked), to the visit: length, bounces, the events' visits
// and the Live list.
func (s *Sink) countHit(d *dayAgg, v *liveVisit, e *event) {
	isAction := e.kind < kindPing
	switch {
	case isAction:
		d.actions++
		d.kinds[e.kind]++
	case e.kind == kindPing:
		d.kinds[kindPing]++
	case e.kind == kindOrder:
		s.countOrder(d, e)
	}
	if v == nil {
		return
	}
	oldLen := v.last - v.first
	v.first, v.last = min(v.first, e.unix), max(v.last, e.unix)
	d.sumLength += v.last - v.first - oldLen
	if e.kind == kindOrder && !v.converted {
		v.converted = true
		d.converted++
	}
	if isAction {
		d.refActions[v.ref]++
		v.actions++
		switch v.actions {
		case 1:
			d.bounces++
		case 2:
			d.bounces--
		}
		d.maxActions = max(d.maxActions, int64(v.actions))
	}
	if e.kind == kindEvent {
		s.countEvent(d, v, e)
	}
	if s.liveOff || !(isAction || e.kind == kindOrder) || v.listed >= maxLiveActions {
		return
	}
	var h hitStrings
	if e.kind == kindEvent {
		n := e.rs.liveCatLen
		h.category, h.action = e.rs.liveCat[:n], e.rs.liveCat[n+1:]
	}
	if e.kind != kindOrder {
		h.url = e.p.raw(urlField(e.kind))
	}
	switch e.kind {
	case kindSiteSearch:
		h.keyword = e.p.raw(fSearch)
	case kindOrder:
		e.rs.liveKw = e.p.appendDecoded(e.rs.liveKw[:0], fEcID)
		h.orderID, h.revenueCents = e.rs.liveKw, cents(e.revenue)
	}
	v.log = s.names.appendAction(v.log, v.first, e.unix, e.kind, &h)
	v.listed++
}

// urlField is the parameter holding the URL Live lists for an action.
func urlField(k actionKind) field {
	switch k {
	case kindDownload:
		return fDownload
	case kindOutlink:
		return fLink
	}
	return fURL
}

// countEvent counts an event by category and action, and its visit once.
// The pair is left in e.rs.liveCat: category, a zero byte, action; the
// category's length in e.rs.liveCatLen.
func (s *Sink) countEvent(d *dayAgg, v *liveVisit, e *event) {
	rs := e.rs
	rs.liveCat = e.p.appendDecoded(rs.liveCat[:0], fEC)
	rs.liveCatLen = len(rs.liveCat)
	rs.liveCat = append(rs.liveCat, 0)
	rs.liveCat = e.p.appendDecoded(rs.liveCat, fEA)
	ev := d.events[string(rs.liveCat)]
	if ev == nil {
		ev = &evAgg{}
		d.events[string(rs.liveCat)] = ev
	}
	ev.events++
	key := s.names.hash(rs.liveCat)
	for _, k := range v.evKeys {
		if k == key {
			return
		}
	}
	v.evKeys = append(v.evKeys, key)
	ev.visits++
}

// countOrder adds an order's money (in cents) and items to its day.
func (s *Sink) countOrder(d *dayAgg, e *event) {
	part := func(f field) int64 {
		x, _ := number(e.p.get(f))
		return cents(x)
	}
	d.orders++
	d.revenue += cents(e.revenue)
	d.subtotal += part(fEcSt)
	d.tax += part(fEcTx)
	d.shipping += part(fEcSh)
	d.discount += part(fEcDt)
	d.items += itemCount(e.p.get(fEcItems))
}

// itemCount is Matomo's items of an order: the sum of the quantities of
// ec_items ([sku, name, category, price, quantity] rows).
func itemCount(s string) int64 {
	var rows [][]json.RawMessage
	if json.Unmarshal([]byte(s), &rows) != nil {
		return 0
	}
	var n int64
	for _, r := range rows {
		if len(r) < 5 {
			continue
		}
		var q json.Number
		if json.Unmarshal(r[4], &q) != nil {
			var str string
			if json.Unmarshal(r[4], &str) != nil {
				continue
			}
			q = json.Number(str)
		}
		if f, err := q.Float64(); err == nil && f > 0 {
			n += int64(f)
		}
	}
	return n
}

// cents rounds money to cents, half away from zero.
func cents(x float64) int64 { return int64(math.Round(x * 100)) }
