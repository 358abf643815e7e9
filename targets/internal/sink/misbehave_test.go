package sink

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// bulkOf is a bulk body of hits: visits of three pageviews each, one
// visitor per visit, a minute apart, starting an hour before the clock.
func bulkOf(visitors []string, start time.Time) string {
	var b strings.Builder
	b.WriteString(`{"token_auth":"` + testToken + `","requests":[`)
	for i, id := range visitors {
		for h := range 3 {
			if i+h > 0 {
				b.WriteByte(',')
			}
			v := with(validHit(), "_id", id, "cdt", start.Add(time.Duration(i)*time.Second+time.Duration(h)*time.Minute).Format(time.DateTime),
				"url", fmt.Sprintf("https://shop.example.com/p/%d", h))
			fmt.Fprintf(&b, `"?%s"`, v.Encode())
		}
	}
	b.WriteString(`]}`)
	return b.String()
}

type liveVisitOf struct {
	VisitorID string            `json:"visitorId"`
	First     int64             `json:"firstActionTimestamp"`
	Actions   []json.RawMessage `json:"actionDetails"`
}

func (ts *testSink) allVisits() []liveVisitOf {
	ts.t.Helper()
	a := ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "period", "day", "date", "today", "filter_limit", "-1", "token_auth", testToken)
	var out []liveVisitOf
	if err := json.Unmarshal([]byte(a.body), &out); err != nil {
		ts.t.Fatalf("%v: %s", err, a.body)
	}
	return out
}

// DropVisits drops exactly the visits its hash picks, every hit of them,
// and answers them as a success.
func TestDropVisitsDropsWholeVisitsByHash(t *testing.T) {
	const n = 2000
	ts := newTestSink(t, Config{DropVisits: 0.02, MisbehaveSeed: 7})
	start := testNow.Add(-time.Hour)
	ids := make([]string, n)
	picked := map[string]bool{}
	for i := range ids {
		ids[i] = fmt.Sprintf("%016x", 0x1000+i*7919)
		id, _ := parseHex16(ids[i])
		if ts.mis.drops(id, start.Add(time.Duration(i)*time.Second).Unix()) {
			picked[ids[i]] = true
		}
	}
	if len(picked) < n/100 || len(picked) > n*3/100 {
		t.Fatalf("the hash picks %d of %d visits, not about 2%%", len(picked), n)
	}
	a := ts.bulk(bulkOf(ids, start))
	wantStatus(t, a, http.StatusOK)
	if !strings.Contains(a.body, fmt.Sprintf(`"tracked":%d,"invalid":0`, 3*n)) {
		t.Errorf("bulk answer %s: every hit should be tracked", a.body)
	}
	st := ts.Stats()
	want := Misbehaviour{DroppedVisits: int64(len(picked)), DroppedHits: 3 * int64(len(picked))}
	if st.Misbehaviour != want || st.Recorded != 3*int64(n-len(picked)) || st.Tracked != 3*n {
		t.Errorf("misbehaviour %+v, recorded %d, tracked %d; want %+v, %d, %d", st.Misbehaviour, st.Recorded, st.Tracked, want, 3*(n-len(picked)), 3*n)
	}
	visits := ts.allVisits()
	if len(visits) != n-len(picked) {
		t.Errorf("Live lists %d visits, want %d", len(visits), n-len(picked))
	}
	for _, v := range visits {
		if picked[v.VisitorID] || len(v.Actions) != 3 {
			t.Errorf("visit of %s with %d actions: dropped visits must be absent, kept ones whole", v.VisitorID, len(v.Actions))
		}
	}
	wantJSON(t, ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", testToken),
		fmt.Sprintf(`{"nb_uniq_visitors":%d,"nb_users":0,"nb_visits":%[1]d,"nb_actions":%d,"nb_visits_converted":0,"bounce_count":0,
		"sum_visit_length":%d,"max_actions":3,"bounce_rate":"0%%","nb_actions_per_visit":3,"avg_time_on_site":120}`,
			n-len(picked), 3*(n-len(picked)), 120*(n-len(picked))))
}

// MergeVisits records a new visit into the site's most recent open visit
// of another visitor: Live shows one visit with both visitors' actions.
func TestMergeVisitsJoinsTheRecentOpenVisit(t *testing.T) {
	ts := newTestSink(t, Config{MergeVisits: 1})
	base := testNow.Add(-time.Hour)
	sendAll(t, ts,
		at(visitorA, testNow.Sub(base), "url", "https://shop.example.com/a1"),
		at(visitorB, testNow.Sub(base.Add(time.Minute)), "url", "https://shop.example.com/b1"),
		at(visitorA, testNow.Sub(base.Add(2*time.Minute)), "url", "https://shop.example.com/a2"),
		at(visitorB, testNow.Sub(base.Add(3*time.Minute)), "url", "https://shop.example.com/b2"),
		// 40 minutes later nothing is open: C opens a visit of its own.
		at(visitorC, testNow.Sub(base.Add(43*time.Minute)), "url", "https://shop.example.com/c1"),
	)
	visits := ts.allVisits()
	if len(visits) != 2 || visits[1].VisitorID != visitorA || len(visits[1].Actions) != 4 || visits[0].VisitorID != visitorC {
		t.Fatalf("visits %+v, want C's and A's with 4 actions", visits)
	}
	var urls []string
	for _, a := range visits[1].Actions {
		var x struct{ URL string }
		json.Unmarshal(a, &x)
		urls = append(urls, strings.TrimPrefix(x.URL, "https://shop.example.com/"))
	}
	if got := strings.Join(urls, ","); got != "a1,b1,a2,b2" {
		t.Errorf("merged visit's pages %s, want a1,b1,a2,b2", got)
	}
	if st := ts.Stats(); st.Misbehaviour.MergedVisits != 1 || st.Sites[0].Visits != 2 {
		t.Errorf("merged %d, visits %d; want 1 and 2", st.Misbehaviour.MergedVisits, st.Sites[0].Visits)
	}
	wantJSON(t, ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "segment", "visitorId=="+visitorB, "token_auth", testToken), `[]`)
	a := ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", testToken)
	if !strings.Contains(a.body, `"nb_uniq_visitors": 2,`) || !strings.Contains(a.body, `"nb_visits": 2,`) || !strings.Contains(a.body, `"nb_actions": 5,`) {
		t.Errorf("summary %s: want 2 visitors, 2 visits, 5 actions", a.body)
	}
}

func TestMisbehaviourShares(t *testing.T) {
	for _, c := range []Config{{DropVisits: -0.1}, {DropVisits: 1.5}, {MergeVisits: 2}} {
		if _, err := New(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	s, err := New(Config{DropVisits: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !s.mis.drops(1, 2) || s.mis.merges(1, 2) {
		t.Error("share 1 drops every visit; share 0 merges none")
	}
}

// Merged visits are written by two visitors' shards at once; under load,
// with the API read meanwhile, every visit is counted once: opened or
// merged, and Live lists every recorded action.
func TestMergeVisitsUnderConcurrentLoad(t *testing.T) {
	ts := newTestSink(t, Config{MergeVisits: 0.5, MaxLiveVisits: 50})
	const workers, perWorker = 4, 100
	start := testNow.Add(-time.Hour)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			ts.api("method", "Live.getLastVisitsDetails", "idSite", "1", "filter_limit", "-1", "token_auth", testToken)
			ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", testToken)
		}
	}()
	errs := make(chan string, workers)
	for w := range workers {
		go func() {
			ids := make([]string, perWorker)
			for i := range ids {
				ids[i] = fmt.Sprintf("%04x%012x", w+1, i)
			}
			a := ts.bulk(bulkOf(ids, start))
			errs <- a.body
		}()
	}
	for range workers {
		if body := <-errs; !strings.Contains(body, `"invalid":0`) {
			t.Error(body)
		}
	}
	<-done
	st := ts.Stats()
	if got := st.Sites[0].Visits + st.Misbehaviour.MergedVisits; got != workers*perWorker || st.Misbehaviour.MergedVisits == 0 {
		t.Errorf("visits %d + merged %d = %d, want %d with some merged", st.Sites[0].Visits, st.Misbehaviour.MergedVisits, got, workers*perWorker)
	}
	a := ts.api("method", "VisitsSummary.get", "idSite", "1", "period", "day", "date", "today", "token_auth", testToken)
	if !strings.Contains(a.body, fmt.Sprintf(`"nb_visits": %d,`, st.Sites[0].Visits)) || !strings.Contains(a.body, fmt.Sprintf(`"nb_actions": %d,`, 3*workers*perWorker)) {
		t.Errorf("summary %s", a.body)
	}
	if n := len(ts.allVisits()); n != 50 {
		t.Errorf("Live lists %d visits, want the ring's 50", n)
	}
}
