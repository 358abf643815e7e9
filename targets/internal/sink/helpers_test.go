package sink

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testNow is the server clock of the tests: 2024-06-01 12:00:00 UTC.
var testNow = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	testToken  = "0123456789abcdef0123456789abcdef"
	otherToken = "fedcba9876543210fedcba9876543210"
)

// testSink serves a sink with a fixed clock on a 127.0.0.1 httptest server.
type testSink struct {
	*Sink
	t   *testing.T
	srv *httptest.Server
}

func newTestSink(t *testing.T, cfg Config) *testSink {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	if cfg.Sites == nil {
		cfg.Sites = []Site{{ID: 1, Tokens: []string{testToken}}}
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &testSink{Sink: s, t: t, srv: srv}
}

type answer struct {
	status int
	body   string
	header http.Header
}

func (ts *testSink) do(req *http.Request) answer {
	ts.t.Helper()
	resp, err := ts.srv.Client().Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	return answer{resp.StatusCode, string(b), resp.Header}
}

// get sends a GET to path with query q.
func (ts *testSink) get(path, q string) answer {
	ts.t.Helper()
	u := ts.srv.URL + path
	if q != "" {
		u += "?" + q
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	return ts.do(req)
}

// hit sends one hit as a GET to /matomo.php.
func (ts *testSink) hit(v url.Values) answer {
	ts.t.Helper()
	return ts.get("/matomo.php", v.Encode())
}

// post sends body to path?query with a content type.
func (ts *testSink) post(path, query, contentType, body string) answer {
	ts.t.Helper()
	u := ts.srv.URL + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return ts.do(req)
}

func (ts *testSink) postForm(v url.Values) answer {
	ts.t.Helper()
	return ts.post("/matomo.php", "", "application/x-www-form-urlencoded", v.Encode())
}

func (ts *testSink) bulk(body string) answer {
	ts.t.Helper()
	return ts.post("/matomo.php", "", "application/json", body)
}

// validHit is a pageview that breaks no rule.
func validHit() url.Values {
	return url.Values{
		"idsite":     {"1"},
		"rec":        {"1"},
		"_id":        {"0123456789abcdef"},
		"url":        {"https://shop.example.com/products/page-1"},
		"pv_id":      {"a1b2c3"},
		"send_image": {"0"},
	}
}

// with returns a copy of v with the given key, value pairs set; an empty
// value with a "-" prefix key deletes it ("-_id" removes _id).
func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if strings.HasPrefix(kv[i], "-") {
			out.Del(kv[i][1:])
			continue
		}
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// cdtAgo formats the test clock minus d as a cdt value.
func cdtAgo(d time.Duration) string {
	return testNow.Add(-d).Format(time.DateTime)
}

func (ts *testSink) site(id int) SiteStats {
	ts.t.Helper()
	for _, s := range ts.Stats().Sites {
		if s.ID == id {
			return s
		}
	}
	ts.t.Fatalf("no site %d in stats", id)
	return SiteStats{}
}

// wantStatus fails the test unless a has the status.
func wantStatus(t *testing.T, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d (%q), want %d", a.status, a.body, status)
	}
}
