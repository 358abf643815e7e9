package sink

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log destination that tests can read while the server runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// leakyHits carry the token in every place a careless sink would echo it.
func leakyHits() []url.Values {
	return []url.Values{
		with(validHit(), "token_auth", testToken, "url", "/relative?t="+testToken), // rule example
		with(validHit(), "token_auth", otherToken, "cip", "1.2.3.4"),               // rejected example, wrong token
		with(validHit(), "token_auth", testToken, "cdt", cdtAgo(72*time.Hour)),     // recorded
		with(validHit(), "token_auth", testToken, "urlref", "https://x.example/?k="+testToken),
	}
}

func TestStatsEndpointRedactsTokens(t *testing.T) {
	var logBuf syncBuffer
	ts := newTestSink(t, Config{Log: &logBuf})
	for _, h := range leakyHits() {
		ts.hit(h)
	}
	body := ts.bulk(`{"requests":[` + quoted(with(validHit(), "url", "nope")) + `],"token_auth":"` + testToken + `"}`)
	wantStatus(t, body, http.StatusOK)

	a := ts.get("/stats", "")
	wantStatus(t, a, http.StatusOK)
	for _, secret := range []string{testToken, otherToken} {
		if strings.Contains(a.body, secret) {
			t.Errorf("/stats leaks a token:\n%s", a.body)
		}
		if strings.Contains(logBuf.String(), secret) {
			t.Errorf("the hit log leaks a token:\n%s", logBuf.String())
		}
	}
	var st Stats
	if err := json.Unmarshal([]byte(a.body), &st); err != nil {
		t.Fatal(err)
	}
	ex := st.Rules["url_absolute"].Example
	if !strings.Contains(ex, "token_auth=REDACTED") || !strings.Contains(ex, "url=%2Frelative%3Ft%3DREDACTED") {
		t.Errorf("url_absolute example %q", ex)
	}
	if ex := st.Rejected["cip_without_token"].Example; !strings.Contains(ex, "cip=1.2.3.4") || !strings.Contains(ex, "token_auth=REDACTED") {
		t.Errorf("cip_without_token example %q", ex)
	}
	if st.Rules["url_absolute"].Count != 2 || st.Recorded != 4 || st.Invalid != 1 {
		t.Errorf("url_absolute %d recorded %d invalid %d", st.Rules["url_absolute"].Count, st.Recorded, st.Invalid)
	}
	// Every rule and reason is listed, zeros included.
	if len(st.Rules) != int(numRules) || len(st.Rejected) != numRejects || len(st.Excluded) != numExclusions || len(st.Adjusted) != numAdjustments {
		t.Errorf("maps miss keys: %d rules, %d rejected, %d excluded, %d adjusted",
			len(st.Rules), len(st.Rejected), len(st.Excluded), len(st.Adjusted))
	}
	// The 72-hour-old hit is a visit of its own between two at the server time.
	if len(st.Sites) != 1 || st.Sites[0].Visits != 3 {
		t.Errorf("sites %+v", st.Sites)
	}
}

func TestHitLogLines(t *testing.T) {
	var logBuf syncBuffer
	ts := newTestSink(t, Config{Log: &logBuf})
	ts.postForm(with(validHit(), "url", "/x", "token_auth", testToken, "action_name", "Home"))
	ts.hit(with(validHit(), "idsite", "5"))
	ts.hit(with(validHit(), "rec", "0"))
	ts.hit(with(validHit(), "cdt", testNow.Add(time.Hour).Format(time.DateTime)))

	lines := strings.Split(strings.TrimSpace(logBuf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d log lines, want 4:\n%s", len(lines), logBuf.String())
	}
	var recs []logRecord
	for _, l := range lines {
		var r logRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		recs = append(recs, r)
	}
	r := recs[0]
	if r.Time != "2024-06-01T12:00:00Z" || r.Site != 1 || r.Outcome != "recorded" || r.Reason != "" ||
		len(r.Rules) != 1 || r.Rules[0] != "url_absolute" ||
		r.Params["token_auth"] != "REDACTED" || r.Params["action_name"] != "Home" || r.Params["url"] != "/x" {
		t.Errorf("line 1: %+v", r)
	}
	if r := recs[1]; r.Outcome != "rejected" || r.Reason != "invalid_site" || r.Site != 0 {
		t.Errorf("line 2: %+v", r)
	}
	if r := recs[2]; r.Outcome != "excluded" || r.Reason != "no_rec" {
		t.Errorf("line 3: %+v", r)
	}
	if r := recs[3]; r.Outcome != "recorded" || r.Adjusted != "cdt_future" {
		t.Errorf("line 4: %+v", r)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

var errDiskFull = &json.UnsupportedValueError{Str: "disk full"}

func TestLogErrorIsReported(t *testing.T) {
	ts := newTestSink(t, Config{Log: failingWriter{}})
	wantStatus(t, ts.hit(validHit()), http.StatusNoContent)
	if e := ts.Stats().LogError; !strings.Contains(e, "disk full") {
		t.Errorf("log error %q", e)
	}
}

func TestOnHitSeesAcceptedHitsOnly(t *testing.T) {
	type seen struct {
		site int
		p    url.Values
	}
	var mu sync.Mutex
	var got []seen
	ts := newTestSink(t, Config{
		Sites: []Site{{ID: 1, Tokens: []string{testToken}}, {ID: 3}},
		OnHit: func(site int, p url.Values) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, seen{site, p})
		},
	})
	ts.hit(with(validHit(), "action_name", "Start"))
	ts.hit(with(validHit(), "idsite", "3", "rec", "0"))
	ts.hit(with(validHit(), "idsite", "4"))
	ts.post("/matomo.php", "idsite=1", "application/x-www-form-urlencoded", with(validHit(), "idsite", "3", "token_auth", testToken).Encode())

	if len(got) != 3 {
		t.Fatalf("OnHit called %d times, want 3 (not for the rejected hit)", len(got))
	}
	if got[0].site != 1 || got[0].p.Get("action_name") != "Start" || got[0].p.Get("_id") != "0123456789abcdef" {
		t.Errorf("first hit %+v", got[0])
	}
	if got[1].site != 3 || got[1].p.Get("rec") != "0" {
		t.Errorf("second hit %+v", got[1])
	}
	if got[2].site != 1 || got[2].p.Get("idsite") != "1" || got[2].p.Get("token_auth") != testToken {
		t.Errorf("merged hit %+v: URL values should win, body token kept", got[2])
	}
}

func TestRedactQuery(t *testing.T) {
	cases := map[string]string{
		"a=1&token_auth=secret&b=2": "a=1&token_auth=REDACTED&b=2",
		"token%5Fauth=secret":       "token%5Fauth=REDACTED",
		"token_auth":                "token_auth=REDACTED",
		"x=token_auth&token_auth=":  "x=token_auth&token_auth=REDACTED",
		"idsite=1":                  "idsite=1",
	}
	for in, want := range cases {
		if got := redactQuery(in); got != want {
			t.Errorf("redactQuery(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExamplesAreBounded(t *testing.T) {
	ts := newTestSink(t, Config{})
	long := "https://example.com/" + strings.Repeat("a", 5000)
	ts.postForm(with(validHit(), "url", long))
	ex := ts.Stats().Rules["url_length"].Example
	if len(ex) != maxExample+len("…") || !strings.HasSuffix(ex, "…") {
		t.Errorf("example of %d bytes: %.60q…", len(ex), ex)
	}
}
