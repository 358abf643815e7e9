package sink

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
)

// Stats is a snapshot of what the sink received and what Matomo would have
// recorded. Every map lists all of its known keys, zeros included, so that
// consumers can rely on them.
type Stats struct {
	Requests     int64 `json:"requests"`      // HTTP requests to /matomo.php and /piwik.php
	BulkRequests int64 `json:"bulk_requests"` // of which bulk JSON bodies
	Hits         int64 `json:"hits"`          // single hits plus bulk entries (dropped entries not included)
	Tracked      int64 `json:"tracked"`       // hits answered as a success: recorded, excluded or dropped
	Recorded     int64 `json:"recorded"`      // hits Matomo would record
	Invalid      int64 `json:"invalid"`       // hits answered 400 (the sum of Rejected)
	BulkDropped  int64 `json:"bulk_dropped"`  // bulk entries without "?query": not counted by Matomo either

	Rejected      map[string]Counted `json:"rejected"`       // 400 answers by reason, with an example
	Excluded      map[string]int64   `json:"excluded"`       // answered as success but not recorded, by reason
	Adjusted      map[string]int64   `json:"adjusted"`       // recorded at the server time instead of cdt, by reason
	Rules         map[string]Counted `json:"rules"`          // rule violations by rule, with an example
	RequestErrors map[string]int64   `json:"request_errors"` // requests refused as a whole
	Responses     map[string]int64   `json:"responses"`      // answers by HTTP status

	// Misbehaviour counts what Config.DropVisits and MergeVisits did.
	Misbehaviour Misbehaviour `json:"misbehaviour"`

	Sites    []SiteStats `json:"sites"`               // by site id
	LogError string      `json:"log_error,omitempty"` // why the hit log stopped, if it did
}

// Misbehaviour counts the visits the sink dropped or merged on purpose.
type Misbehaviour struct {
	DroppedVisits int64 `json:"dropped_visits"` // visits not recorded at all
	DroppedHits   int64 `json:"dropped_hits"`   // their hits, answered as a success
	MergedVisits  int64 `json:"merged_visits"`  // new visits recorded into another visitor's open visit
}

// Counted is a count with the first example seen: the hit's parameters as
// a query string, token_auth redacted.
type Counted struct {
	Count   int64  `json:"count"`
	Example string `json:"example,omitempty"`
}

// SiteStats is what Matomo would show for one site.
type SiteStats struct {
	ID       int    `json:"id"`
	Timezone string `json:"timezone"`
	Visits   int64  `json:"visits"`
	Visitors int64  `json:"visitors"` // distinct visitor ids
	// Actions counts pageviews, site searches, outlinks, downloads and
	// events: what Matomo reports as actions (pings and orders are not).
	Actions       int64            `json:"actions"`
	ActionsByKind map[string]int64 `json:"actions_by_kind"` // the five action kinds and ping
	Orders        int64            `json:"orders"`
	Revenue       float64          `json:"revenue"`      // sum of order revenue, rounded to cents
	CartUpdates   int64            `json:"cart_updates"` // idgoal=0 without ec_id
	Conversions   int64            `json:"goal_conversions"`
	Referrers     map[string]int64 `json:"referrers"`      // visits by kind: direct, search, social, referral, campaign
	ReferrerHosts map[string]int64 `json:"referrer_hosts"` // visits by referrer host (search, social, referral)
	Countries     map[string]int64 `json:"countries"`      // visits by country code; "unknown" outside the table
	HitsPerDay    map[string]int64 `json:"hits_per_day"`   // recorded hits by day in the site timezone
	VisitsPerDay  map[string]int64 `json:"visits_per_day"` // visits by day in the site timezone
}

// Stats returns a snapshot. It locks one shard at a time, so it is cheap
// to call while traffic flows; counts of hits in flight may be split
// between the totals and the per-site numbers.
func (s *Sink) Stats() Stats {
	c := &s.ctr
	st := Stats{
		Requests:      c.requests.Load(),
		BulkRequests:  c.bulkRequests.Load(),
		Hits:          c.hits.Load(),
		Recorded:      c.recorded.Load(),
		BulkDropped:   c.dropped.Load(),
		Rejected:      map[string]Counted{},
		Excluded:      map[string]int64{},
		Adjusted:      map[string]int64{},
		Rules:         map[string]Counted{},
		RequestErrors: map[string]int64{},
		Responses:     map[string]int64{},
	}
	for i, name := range rejectNames {
		n := c.rejected[i].Load()
		st.Rejected[name] = Counted{Count: n, Example: load(&s.rejectExamples[i])}
		st.Invalid += n
	}
	var excluded int64
	for i, name := range exclusionNames {
		st.Excluded[name] = c.excluded[i].Load()
		excluded += st.Excluded[name]
	}
	st.Misbehaviour = Misbehaviour{
		DroppedVisits: c.droppedVisits.Load(),
		DroppedHits:   c.droppedHits.Load(),
		MergedVisits:  c.mergedVisits.Load(),
	}
	st.Tracked = st.Recorded + excluded + st.Misbehaviour.DroppedHits
	for i, name := range adjustmentNames {
		st.Adjusted[name] = c.adjusted[i].Load()
	}
	for i, name := range ruleNames {
		st.Rules[name] = Counted{Count: c.rules[i].Load(), Example: load(&s.ruleExamples[i])}
	}
	for i, name := range requestErrorNames {
		st.RequestErrors[name] = c.requestErrors[i].Load()
	}
	for i, code := range statusCodes {
		st.Responses[strconv.Itoa(code)] = c.responses[i].Load()
	}
	if err := s.log.failure(); err != nil {
		st.LogError = err.Error()
	}
	st.Sites = s.siteStats()
	return st
}

func load(p interface{ Load() *string }) string {
	if v := p.Load(); v != nil {
		return *v
	}
	return ""
}

func (s *Sink) siteStats() []SiteStats {
	out := make([]SiteStats, len(s.sites))
	for i, site := range s.sites {
		ss := SiteStats{
			ID:            site.id,
			Timezone:      site.tzName,
			ActionsByKind: map[string]int64{},
			Referrers:     map[string]int64{},
			ReferrerHosts: map[string]int64{},
			Countries:     map[string]int64{},
			HitsPerDay:    map[string]int64{},
			VisitsPerDay:  map[string]int64{},
		}
		for _, n := range actionNames {
			ss.ActionsByKind[n] = 0
		}
		for _, n := range refNames {
			ss.Referrers[n] = 0
		}
		out[i] = ss
	}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for j := range sh.sites {
			a, ss := &sh.sites[j], &out[j]
			ss.Visits += a.visits
			ss.Visitors += a.visitors
			for k, n := range a.actions {
				ss.ActionsByKind[actionNames[k]] += n
				if actionKind(k) != kindPing {
					ss.Actions += n
				}
			}
			ss.Orders += a.orders
			ss.Revenue += a.revenue
			ss.CartUpdates += a.carts
			ss.Conversions += a.conversions
			for k, n := range a.refKinds {
				ss.Referrers[refNames[k]] += n
			}
			for h, n := range a.refHosts {
				ss.ReferrerHosts[h] += *n
			}
			for c, n := range a.countries {
				ss.Countries[c] += n
			}
			for d, n := range a.hitsPerDay {
				ss.HitsPerDay[dayString(d)] += n
			}
			for d, n := range a.visitsPerDay {
				ss.VisitsPerDay[dayString(d)] += n
			}
		}
		sh.mu.Unlock()
	}
	for i := range out {
		out[i].Revenue = math.Round(out[i].Revenue*100) / 100
	}
	return out
}

// serveStats answers GET /stats with the snapshot as JSON.
func (s *Sink) serveStats(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // examples are query strings: keep "&" readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(s.Stats()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
