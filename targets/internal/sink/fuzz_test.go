package sink

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const fuzzToken = "fuzz-secret-token-1234"

// FuzzRequest drives the whole request parser (query strings, form bodies,
// bulk JSON) through the handler: it must never panic, must answer with a
// known status, keep its counters consistent and never log the token.
func FuzzRequest(f *testing.F) {
	f.Add(false, validHit().Encode(), "")
	f.Add(true, "idsite=1", with(validHit(), "token_auth", fuzzToken, "cip", "142.1.1.1").Encode())
	f.Add(true, "", `{"requests":["?`+validHit().Encode()+`",{"idsite":1,"rec":1},"x",7],"token_auth":"`+fuzzToken+`","send_image":0}`)
	f.Add(true, "", `{"requests":[{"idsite":"1","ec_items":[["a","b",["c"],1,2]],"idgoal":0,"ec_id":"1","revenue":"x"}]}`)
	f.Add(true, "", `  {"requests":["?idsite=1&rec=1&url=%zz&cdt=2024-06-01+11:00:00&e_v=1e999"]}`)
	f.Add(false, "idsite=1&rec=1&ping=1&ca=1&_id=%%%&url=https%3A%2F%2F%5B%3A%3A1%5D", "")
	f.Add(true, "", strings.Repeat("{", 5000))
	f.Add(true, "", strings.Repeat("x", 5000))
	f.Fuzz(func(t *testing.T, post bool, query, body string) {
		var logBuf bytes.Buffer
		s, err := New(Config{
			Sites:   []Site{{ID: 1, Tokens: []string{fuzzToken}, Goals: []int{1}}, {ID: 2, Timezone: "Asia/Tokyo"}},
			MaxBody: 4096,
			Log:     &logBuf,
			OnHit:   func(int, url.Values) {},
			Now:     func() time.Time { return testNow },
		})
		if err != nil {
			t.Fatal(err)
		}
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		req := &http.Request{
			Method:        method,
			URL:           &url.URL{Path: "/matomo.php", RawQuery: query},
			Header:        http.Header{"User-Agent": {"fuzz"}},
			Body:          io.NopCloser(strings.NewReader(body)),
			ContentLength: -1, // read it to learn the length, as for a chunked body
			RemoteAddr:    "127.0.0.1:1234",
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)

		switch w.Code {
		case 200, 204, 400, 413:
		default:
			t.Fatalf("status %d", w.Code)
		}
		if post && len(body) > 4096 && w.Code != 413 {
			t.Fatalf("a %d-byte body got %d, want 413", len(body), w.Code)
		}
		st := s.Stats()
		if st.Hits != st.Tracked+st.Invalid || st.Recorded > st.Tracked {
			t.Fatalf("hits %d tracked %d invalid %d recorded %d", st.Hits, st.Tracked, st.Invalid, st.Recorded)
		}
		if w.Code == 200 && w.Header().Get("Content-Type") == "application/json" {
			var ans struct{ Tracked, Invalid int64 }
			if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
				t.Fatalf("bulk answer %q: %v", w.Body.String(), err)
			}
			if ans.Tracked+ans.Invalid != st.Hits {
				t.Fatalf("answer %+v for %d hits", ans, st.Hits)
			}
		}
		for _, line := range bytes.Split(bytes.TrimSpace(logBuf.Bytes()), []byte("\n")) {
			if len(line) > 0 && !json.Valid(line) {
				t.Fatalf("log line is not JSON: %s", line)
			}
		}
		if strings.Contains(logBuf.String(), fuzzToken) {
			t.Fatalf("the log leaks the token: %s", logBuf.String())
		}
		js, _ := json.Marshal(st)
		if bytes.Contains(js, []byte(fuzzToken)) {
			t.Fatalf("stats leak the token: %s", js)
		}
	})
}

// FuzzBulkScanner checks the bulk scanner against encoding/json: it
// accepts exactly the valid JSON objects with a "requests" array, and reads
// the same entries.
func FuzzBulkScanner(f *testing.F) {
	f.Add(`{"requests":["?a=1","b",{"c":"d","e":[1,{"f":null}],"g":true,"h":false,"i":-0.5e+3}],"token_auth":"t"}`)
	f.Add(`{"requests":["\u00e9\ud83d\ude00\ud800x\"\\\/\b\f\n\r\t"]}`)
	f.Add(`{"requests":[],"requests":["?x=1"]}`)
	f.Add(`{"requests":[01]}`)
	f.Add(`{"requests":[1.]}`)
	f.Add(`{"requests" : [ "?a" , { } ] , "send_image" : "0" } `)
	f.Add(`{"Requests":[]}`)
	f.Add("{\"requests\":[\"\x01\"]}")
	f.Add(`["requests"]`)
	f.Fuzz(func(t *testing.T, s string) {
		var b bulkBody
		err := parseBulk(s, &b)

		var top map[string]json.RawMessage
		topErr := json.Unmarshal([]byte(s), &top)
		var arr []json.RawMessage
		arrErr := errors.New("no requests")
		if raw, ok := top["requests"]; topErr == nil && ok {
			arrErr = json.Unmarshal(raw, &arr)
		}

		if err != nil {
			if errors.Is(err, errTooDeep) {
				return
			}
			if topErr == nil && arrErr == nil {
				t.Fatalf("scanner rejected %q (%v), encoding/json reads %d requests", s, err, len(arr))
			}
			return
		}
		if topErr != nil || arrErr != nil {
			t.Fatalf("scanner accepted %q; encoding/json: %v / %v", s, topErr, arrErr)
		}
		if int(b.count) != len(arr) || len(b.entries)+b.dropped != len(arr) {
			t.Fatalf("%d entries (%d kept, %d dropped), encoding/json has %d", b.count, len(b.entries), b.dropped, len(arr))
		}
		if !utf8.ValidString(s) {
			return // encoding/json replaces invalid UTF-8; the scanner keeps it
		}
		kept := map[int32]bulkEntry{}
		for _, e := range b.entries {
			kept[e.index] = e
		}
		for i, raw := range arr {
			e, isKept := kept[int32(i)]
			var str string
			if json.Unmarshal(raw, &str) == nil {
				from, to, ok := queryOf(str)
				if ok != isKept || ok && b.query(e) != str[from:to] {
					t.Fatalf("entry %d %s: kept %v %+v, want query %v", i, raw, isKept, e, ok)
				}
				continue
			}
			var obj map[string]json.RawMessage
			isObj := json.Unmarshal(raw, &obj) == nil
			if isObj != isKept || isKept && e.kind != entryObject {
				t.Fatalf("entry %d %s: kept %v %+v, object %v", i, raw, isKept, e, isObj)
			}
		}
		var tok string
		if raw, ok := top["token_auth"]; ok && json.Unmarshal(raw, &tok) == nil && tok != "" {
			if !b.hasToken || b.token != tok {
				t.Fatalf("token %q, encoding/json reads %q", b.token, tok)
			}
		}
	})
}
