package sink

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func quoted(v url.Values) string {
	b, _ := json.Marshal("?" + v.Encode())
	return string(b)
}

func TestBulkMixedEntries(t *testing.T) {
	ts := newTestSink(t, Config{})
	old := cdtAgo(3 * 24 * time.Hour)
	body := `{"requests":[` + strings.Join([]string{
		quoted(validHit()),                       // 0 tracked
		quoted(with(validHit(), "idsite", "42")), // 1 invalid: unknown site
		`"idsite=1&rec=1"`,                       // 2 dropped: no "?query"
		`{"idsite":1,"rec":1,"_id":"00000000000000aa","url":"https://shop.example.com/o","cdt":"` + old + `"}`, // 3 tracked: top-level token
		quoted(with(validHit(), "cid", "short")), // 4 invalid: cid
		quoted(with(validHit(), "rec", "0")),     // 5 tracked (excluded, still counted)
		`42`,                                     // 6 dropped: neither string nor object
		`"https://matomo.example.com/matomo.php?` + with(validHit(), "_id", "00000000000000bb").Encode() + `"`, // 7 tracked
		quoted(with(validHit(), "cip", "142.159.65.1", "_id", "00000000000000dd")),                             // 8 tracked: top-level token
	}, ",") + `],"token_auth":"` + testToken + `"}`

	a := ts.bulk(body)
	wantStatus(t, a, http.StatusOK)
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var got struct {
		Status         string `json:"status"`
		Tracked        int    `json:"tracked"`
		Invalid        int    `json:"invalid"`
		InvalidIndices []int  `json:"invalid_indices"`
	}
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatalf("%v: %q", err, a.body)
	}
	if got.Status != "success" || got.Tracked != 5 || got.Invalid != 2 ||
		len(got.InvalidIndices) != 2 || got.InvalidIndices[0] != 1 || got.InvalidIndices[1] != 4 {
		t.Errorf("answer %+v, want success, 5 tracked, 2 invalid at [1 4]", got)
	}
	st := ts.Stats()
	if st.BulkRequests != 1 || st.Hits != 7 || st.BulkDropped != 2 || st.Recorded != 4 || st.Tracked != 5 || st.Invalid != 2 {
		t.Errorf("bulk %d hits %d dropped %d recorded %d tracked %d invalid %d",
			st.BulkRequests, st.Hits, st.BulkDropped, st.Recorded, st.Tracked, st.Invalid)
	}
	site := ts.site(1)
	if site.HitsPerDay[testNow.Add(-3*24*time.Hour).Format(time.DateOnly)] != 1 {
		t.Errorf("the object entry's cdt was not used: %v", site.HitsPerDay)
	}
	if site.Countries["CA"] != 1 {
		t.Errorf("countries %v, want the cip of entry 8 as CA", site.Countries)
	}
}

func TestBulkWithoutTokenMakesTokenEntriesInvalid(t *testing.T) {
	ts := newTestSink(t, Config{})
	body := `{"requests":[` + quoted(validHit()) + `,` +
		quoted(with(validHit(), "cdt", cdtAgo(48*time.Hour))) + `,` +
		quoted(with(validHit(), "cdt", cdtAgo(48*time.Hour), "token_auth", testToken)) + `]}`
	a := ts.bulk(body)
	wantStatus(t, a, http.StatusOK)
	if a.body != `{"status":"success","tracked":2,"invalid":1,"invalid_indices":[1]}`+"\n" {
		t.Errorf("answer %q", a.body)
	}
}

func TestBulkSendImageZero(t *testing.T) {
	ts := newTestSink(t, Config{})
	for _, v := range []string{`0`, `"0"`} {
		a := ts.bulk(`{"requests":[` + quoted(validHit()) + `],"send_image":` + v + `}`)
		wantStatus(t, a, http.StatusNoContent)
	}
	wantStatus(t, ts.bulk(`{"requests":[`+quoted(validHit())+`],"send_image":1}`), http.StatusOK)
	if st := ts.Stats(); st.Recorded != 3 {
		t.Errorf("recorded %d, want 3", st.Recorded)
	}
}

func TestBulkStrict(t *testing.T) {
	ts := newTestSink(t, Config{Strict: true})
	body := `{"requests":[` + quoted(validHit()) + `,` + quoted(with(validHit(), "url", "/relative")) + `]}`
	a := ts.bulk(body)
	if a.body != `{"status":"success","tracked":1,"invalid":1,"invalid_indices":[1]}`+"\n" {
		t.Errorf("answer %q", a.body)
	}
}

func TestBulkEscapesAndObjects(t *testing.T) {
	var seen []url.Values
	ts := newTestSink(t, Config{OnHit: func(site int, p url.Values) { seen = append(seen, p) }})
	body := `{"requests":[
		"?idsite=1\u0026rec=1\u0026_id=0123456789abcdef\u0026url=https:\/\/example.com\/caf\u00e9\u0026pv_id=a1b2c3",
		{"idsite":"1","rec":true,"_id":"00000000000000cc","url":"https://example.com/x","e_c":"Cart","e_a":"Add","e_v":12.5,"ignored":null,
		 "idgoal":0,"ec_id":"B-1","revenue":9.5,"ec_items":[["S1","N","C",9.5,1]]}
	]}`
	a := ts.bulk(body)
	if a.body != `{"status":"success","tracked":2,"invalid":0,"invalid_indices":[]}`+"\n" {
		t.Fatalf("answer %q", a.body)
	}
	if len(seen) != 2 {
		t.Fatalf("OnHit saw %d hits", len(seen))
	}
	if u := seen[0].Get("url"); u != "https://example.com/café" {
		t.Errorf("decoded url %q", u)
	}
	if got := seen[1].Get("ec_items"); got != `[["S1","N","C",9.5,1]]` {
		t.Errorf("nested ec_items kept as %q", got)
	}
	if _, ok := seen[1]["ignored"]; ok {
		t.Error("a null parameter was passed on")
	}
	st := ts.Stats()
	for name, c := range st.Rules {
		if c.Count != 0 {
			t.Errorf("rule %s broken %d times", name, c.Count)
		}
	}
	if o := ts.site(1).Orders; o != 1 {
		t.Errorf("orders %d, want 1 (the object entry is an order)", o)
	}
}

func TestBulkBadBodies(t *testing.T) {
	cases := map[string]string{
		"not JSON":              `{"requests": [`,
		"no requests":           `{"token_auth":"x"}`,
		"empty object":          `{}`,
		"requests not an array": `{"requests":"?idsite=1"}`,
		"trailing garbage":      `{"requests":[]} x`,
		"bad escape":            `{"requests":["\x"]}`,
		"too deep":              `{"requests":[` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `]}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			ts := newTestSink(t, Config{})
			wantStatus(t, ts.bulk(body), http.StatusBadRequest)
			if st := ts.Stats(); st.RequestErrors["bad_bulk"] != 1 || st.Hits != 0 {
				t.Errorf("request errors %v, hits %d", st.RequestErrors, st.Hits)
			}
		})
	}
}

func TestBulkEmptyRequests(t *testing.T) {
	ts := newTestSink(t, Config{})
	a := ts.bulk(` {"requests":[]}`)
	if a.status != http.StatusOK || a.body != `{"status":"success","tracked":0,"invalid":0,"invalid_indices":[]}`+"\n" {
		t.Errorf("answer %d %q", a.status, a.body)
	}
}

func TestParseBulkKeepsLastRequestsAndReadsScalars(t *testing.T) {
	var b bulkBody
	err := parseBulk(`{"requests":["?a=1"],"send_image":false,"token_auth":"t\"1","requests":["?b=2",7,"?c=\u0033"],"other":{"x":[1,2,{"y":null}]}}`, &b)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.entries) != 2 || b.count != 3 || b.dropped != 1 {
		t.Fatalf("entries %+v, count %d, dropped %d", b.entries, b.count, b.dropped)
	}
	if q := b.query(b.entries[0]); q != "b=2" || b.entries[0].index != 0 || b.entries[0].kind != entryQuery {
		t.Errorf("entry 0: %q %+v", q, b.entries[0])
	}
	if q := b.query(b.entries[1]); q != "c=3" || b.entries[1].index != 2 || b.entries[1].kind != entryQueryDecoded {
		t.Errorf("entry 1: %q %+v", q, b.entries[1])
	}
	if !b.hasToken || b.token != `t"1` || !b.hasSendImage || b.sendImage != "0" {
		t.Errorf("token %q %v send_image %q %v", b.token, b.hasToken, b.sendImage, b.hasSendImage)
	}
}

func TestQueryOf(t *testing.T) {
	cases := map[string]string{
		"?idsite=1":              "idsite=1",
		"/matomo.php?idsite=1#x": "idsite=1",
		"?a?b":                   "a?b",
	}
	for in, want := range cases {
		from, to, ok := queryOf(in)
		if !ok || in[from:to] != want {
			t.Errorf("queryOf(%q) = %q, %v; want %q", in, in[from:to], ok, want)
		}
	}
	for _, in := range []string{"idsite=1", "?", "", "https://m.example.com/?", "?#frag"} {
		if _, _, ok := queryOf(in); ok {
			t.Errorf("queryOf(%q) found a query", in)
		}
	}
}
