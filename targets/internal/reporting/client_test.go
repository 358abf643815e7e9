package reporting

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestNewChecksTheConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{URL: "index.php", SiteID: 1}, "reporting: URL index.php is not an http(s) URL"},
		{Config{URL: "ftp://u:pw@m.test/index.php", SiteID: 1}, "reporting: URL ftp://[redacted]@m.test/index.php is not an http(s) URL"},
		{Config{URL: "https://m.test/index.php", SiteID: 0}, "reporting: SiteID 0 is not a Matomo site id (1 or more)"},
	} {
		if _, err := New(tc.cfg); err == nil || err.Error() != tc.want {
			t.Errorf("New(%+v) = %v, want %q", tc.cfg, err, tc.want)
		}
	}
	c, err := New(Config{URL: "https://user:pw@m.test/sub/index.php?x=1", SiteID: 3})
	if err != nil || c.URL() != "https://[redacted]@m.test/sub/index.php" || c.SiteID() != 3 {
		t.Fatalf("New = %v %v", c.URL(), err)
	}
}

func TestBadArgumentsSendNothing(t *testing.T) {
	api := newFakeAPI(t)
	c := api.client(t, 1)
	ctx := context.Background()
	checks := map[string]error{}
	_, checks["Day"] = c.Day(ctx, "03/12/2026")
	_, checks["Visits id"] = c.Visits(ctx, "65b829eed8673f59;visitCount>0", "2026-12-01", "2026-12-02")
	_, checks["Visits date"] = c.Visits(ctx, "65b829eed8673f59", "2026-12-01", "2026-13-02")
	_, checks["HasRawVisits"] = c.HasRawVisits(ctx, "")
	_, checks["Counters"] = c.Counters(ctx, 0)
	checks["Invalidate"] = c.Invalidate(ctx, []string{"2026-12-01", "x"})
	want := map[string]string{
		"Day":          `reporting: date "03/12/2026" is not YYYY-MM-DD`,
		"Visits id":    `reporting: visitor id "65b829eed8673f59;visitCount>0" is not 16 hex digits`,
		"Visits date":  `reporting: date "2026-13-02" is not YYYY-MM-DD`,
		"HasRawVisits": `reporting: date "" is not YYYY-MM-DD`,
		"Counters":     `reporting: lastMinutes 0 is not positive`,
		"Invalidate":   `reporting: date "x" is not YYYY-MM-DD`,
	}
	for name, err := range checks {
		if err == nil || err.Error() != want[name] {
			t.Errorf("%s: %v, want %q", name, err, want[name])
		}
	}
	if err := c.Invalidate(ctx, nil); err != nil {
		t.Errorf("Invalidate(nil) = %v", err)
	}
	if forms, _, _ := api.requests(); len(forms) != 0 {
		t.Errorf("%d requests sent, want none", len(forms))
	}
}

func TestHTTPStatusAndJSONErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		kind   ErrorKind
		msg    string
	}{
		{500, "Internal error", KindHTTP, "HTTP 500"},
		{503, `{"result":"error","message":"Maintenance mode"}`, KindAPI, "Maintenance mode"},
		{401, string(apiFile(t, "error.bad-token.html")), KindAuth, "Unable to authenticate with the provided token. It is either invalid or expired."},
		{302, "", KindHTTP, "HTTP 302 redirect; set api_url to the final index.php URL"},
		{200, `{"result":"error","message":"Requested report Foo.get not found"}`, KindAPI, "Requested report Foo.get not found"},
		{200, `[1,2]`, KindDecode, "an array of 2 rows where one object was expected"},
	} {
		api := newFakeAPI(t)
		api.answer = func(url.Values) (int, []byte) { return tc.status, []byte(tc.body) }
		_, err := api.client(t, 1).Counters(context.Background(), 5)
		var e *Error
		if !errors.As(err, &e) || e.Kind != tc.kind || e.Status != tc.status || e.Message != tc.msg || e.Method != "Live.getCounters" {
			t.Errorf("HTTP %d %.30q: %#v", tc.status, tc.body, err)
		}
	}
}

// TestRedirectsAreNotFollowed: a 307 would replay the body, token
// included, to another URL.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	api := newFakeAPI(t)
	api.answer = func(url.Values) (int, []byte) { return 0, nil }
	redir := httptest.NewServer(http.RedirectHandler(other.URL+"/index.php", http.StatusTemporaryRedirect))
	defer redir.Close()
	c, err := New(Config{URL: redir.URL + "/index.php", SiteID: 1, Token: testToken, HTTP: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Version(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindHTTP || e.Status != 307 || elsewhere.Load() != 0 {
		t.Fatalf("error %v, %d requests to the redirect's target", err, elsewhere.Load())
	}
}

func TestAnswerSizeIsBounded(t *testing.T) {
	api := newFakeAPI(t)
	big := append([]byte(`{"value":"`), bytes.Repeat([]byte("x"), MaxAnswer)...)
	api.answer = func(url.Values) (int, []byte) { return 200, append(big, `"}`...) }
	_, err := api.client(t, 1).Version(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindDecode || e.Message != "the answer is larger than 32 MiB" {
		t.Fatalf("error %v", err)
	}
}

func TestContextBoundsTheCall(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c, _ := New(Config{URL: srv.URL + "/index.php", SiteID: 1, Token: testToken})
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	_, err := c.Site(ctx)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindHTTP || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
}

func TestUserAgent(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("User-Agent")+"|"+r.Header.Get("Content-Type"))
		_, _ = w.Write([]byte(`{"value":"5.0.2"}`))
	}))
	defer srv.Close()
	for _, ua := range []string{"", "ci-check/1"} {
		c, _ := New(Config{URL: srv.URL + "/index.php", SiteID: 1, UserAgent: ua})
		if _, err := c.Version(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := "Trafficinator verify|application/x-www-form-urlencoded,ci-check/1|application/x-www-form-urlencoded"
	if strings.Join(got, ",") != want {
		t.Fatalf("headers %v, want %s", got, want)
	}
}

// TestHeadersAndBasicAuth: the configured headers (Host included) and the
// URL's user information reach the server; messages show neither.
func TestHeadersAndBasicAuth(t *testing.T) {
	var host, auth, proxy string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, auth, proxy = r.Host, r.Header.Get("Authorization"), r.Header.Get("X-Proxy-Key")
		w.WriteHeader(500)
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://ann:pw-123@", 1) + "/index.php"
	c, err := New(Config{URL: u, SiteID: 1, Headers: map[string]kind.Secret{"host": "matomo.internal", "X-Proxy-Key": "pk-9"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Version(context.Background())
	if host != "matomo.internal" || auth != "Basic YW5uOnB3LTEyMw==" || proxy != "pk-9" {
		t.Fatalf("Host %q, Authorization %q, X-Proxy-Key %q", host, auth, proxy)
	}
	if err == nil || strings.Contains(err.Error(), "pw-123") || strings.Contains(err.Error(), "pk-9") {
		t.Fatalf("error %v", err)
	}
}
