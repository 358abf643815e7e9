package matomo

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "s3cr3t/t0k+en=&x"

func TestSendOneBodyHeadersAndToken(t *testing.T) {
	rec := newRecorder(t, reply{status: 204})
	c := mustNew(t, Config{
		URL:     rec.srv.URL + "/matomo.php",
		Token:   testToken,
		Headers: map[string]string{"X-Forwarded-Proto": "https", "User-Agent": "configured", "Host": "m.example.com"},
	})
	r := c.SendOne(context.Background(), "idsite=1&rec=1&url=https%3A%2F%2Fe.com%2Fa", "Mozilla/5.0 (X11) Firefox/130.0")
	checkCounts(t, r, 1, 1, 0, 0, 1, 204, "")

	got := rec.requests()
	if len(got) != 1 {
		t.Fatalf("%d requests, want 1", len(got))
	}
	q := got[0]
	wantBody := "idsite=1&rec=1&url=https%3A%2F%2Fe.com%2Fa&token_auth=s3cr3t%2Ft0k%2Ben%3D%26x"
	if q.Method != "POST" || q.RequestURI != "/matomo.php" || q.Body != wantBody {
		t.Errorf("got %s %s body %q, want POST /matomo.php body %q", q.Method, q.RequestURI, q.Body, wantBody)
	}
	form, err := url.ParseQuery(q.Body)
	if err != nil || form.Get("token_auth") != testToken || form.Get("url") != "https://e.com/a" {
		t.Errorf("form %v (%v) does not decode to the token and url", form, err)
	}
	for k, want := range map[string]string{
		"Content-Type":      "application/x-www-form-urlencoded",
		"User-Agent":        "Mozilla/5.0 (X11) Firefox/130.0",
		"X-Forwarded-Proto": "https",
	} {
		if v := q.Header.Get(k); v != want {
			t.Errorf("header %s = %q, want %q", k, v, want)
		}
	}
	if q.Host != "m.example.com" {
		t.Errorf("Host = %q, want m.example.com", q.Host)
	}
}

func TestSendOneWithoutTokenOrUA(t *testing.T) {
	rec := newRecorder(t, reply{status: 200, body: "GIF89a"})
	c := mustNew(t, Config{URL: rec.srv.URL + "/matomo.php"})
	r := c.SendOne(context.Background(), "?idsite=2&rec=1", "")
	checkCounts(t, r, 1, 1, 0, 0, 1, 200, "")
	q := rec.requests()[0]
	if q.Body != "idsite=2&rec=1" {
		t.Errorf("body %q, want %q (leading ? dropped, no token_auth)", q.Body, "idsite=2&rec=1")
	}
	if ua := q.Header.Get("User-Agent"); ua != "Trafficinator" {
		t.Errorf("User-Agent %q, want the Trafficinator default (Go's is a bot to Matomo)", ua)
	}
}

func TestSendBulkBody(t *testing.T) {
	rec := newRecorder(t, reply{status: 204})
	c := mustNew(t, Config{URL: rec.srv.URL + "/matomo.php", Token: testToken})
	r := c.SendBulk(context.Background(), []string{"idsite=1&rec=1&url=a", "?idsite=1&rec=1&ping=1", `e_n=%22q%22`}, "UA/1")
	checkCounts(t, r, 3, 3, 0, 0, 1, 204, "")
	q := rec.requests()[0]
	want := `{"requests":["?idsite=1&rec=1&url=a","?idsite=1&rec=1&ping=1","?e_n=%22q%22"],"token_auth":"s3cr3t/t0k+en=&x"}`
	if q.Body != want {
		t.Errorf("bulk body\n got %s\nwant %s", q.Body, want)
	}
	if q.RequestURI != "/matomo.php" || q.Header.Get("Content-Type") != "application/json" || q.Header.Get("User-Agent") != "UA/1" {
		t.Errorf("got %s content-type %q ua %q", q.RequestURI, q.Header.Get("Content-Type"), q.Header.Get("User-Agent"))
	}
}

func TestSendBulkEmpty(t *testing.T) {
	rec := newRecorder(t)
	c := mustNew(t, Config{URL: rec.srv.URL})
	if r := c.SendBulk(context.Background(), nil, ""); r != (Result{}) {
		t.Errorf("empty bulk = %+v, want zero Result", r)
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests for an empty bulk", n)
	}
}

func TestSendBulkAnswers(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		rep                          reply
		ok, rejected, failed, status int
		kind                         string
	}{
		{"tracked and invalid", reply{status: 200, body: `{"status":"success","tracked":3,"invalid":1,"invalid_indices":[2]}`}, 3, 1, 0, 200, ""},
		{"all tracked", reply{status: 200, body: `{"status":"success","tracked":4,"invalid":0}`}, 4, 0, 0, 200, ""},
		{"no invalid field", reply{status: 200, body: `{"status":"success","tracked":4}`}, 4, 0, 0, 200, ""},
		{"fewer accounted than sent", reply{status: 200, body: `{"status":"success","tracked":2,"invalid":1}`}, 2, 2, 0, 200, ""},
		{"more tracked than sent", reply{status: 200, body: `{"status":"success","tracked":9,"invalid":0}`}, 4, 0, 0, 200, ""},
		{"204", reply{status: 204}, 4, 0, 0, 204, ""},
		{"200 not JSON", reply{status: 200, body: "GIF89a"}, 4, 0, 0, 200, ""},
		{"200 empty", reply{status: 200}, 4, 0, 0, 200, ""},
		{"200 status error", reply{status: 200, body: `{"status":"error","tracked":0,"message":"x"}`}, 0, 4, 0, 200, KindBulkError},
		{"400", reply{status: 400, body: `{"status":"error"}`}, 0, 4, 0, 400, KindHTTP4xx},
		{"403", reply{status: 403}, 0, 4, 0, 403, KindHTTP4xx},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, tc.rep)
			c := mustNew(t, Config{URL: rec.srv.URL})
			r := c.SendBulk(context.Background(), []string{"a=1", "a=2", "a=3", "a=4"}, "")
			checkCounts(t, r, 4, tc.ok, tc.rejected, tc.failed, 1, tc.status, tc.kind)
		})
	}
}

func TestNoRetryOn500(t *testing.T) {
	rec := newRecorder(t, reply{status: 500}, reply{status: 204})
	c := mustNew(t, Config{URL: rec.srv.URL})
	var sl sleeps
	sl.install(c)
	r := c.SendBulk(context.Background(), []string{"a=1", "a=2"}, "")
	// A bulk body is one transaction that Matomo rolls back: all Failed.
	checkCounts(t, r, 2, 0, 0, 2, 1, 500, KindHTTP5xx)
	if n := len(rec.requests()); n != 1 || len(sl.delays()) != 0 {
		t.Errorf("%d requests, %d sleeps; want 1, 0", n, len(sl.delays()))
	}
}

func TestAtLeastOnceRetries500ThenSuccess(t *testing.T) {
	rec := newRecorder(t, reply{status: 500}, reply{status: 204})
	c := mustNew(t, Config{URL: rec.srv.URL, Delivery: AtLeastOnce, Retry: RetryPolicy{BaseDelay: 40 * time.Millisecond, MaxDelay: time.Second}})
	var sl sleeps
	sl.install(c)
	r := c.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 1, 0, 0, 2, 204, "")
	d := sl.delays()
	if len(d) != 1 || d[0] < 0 || d[0] > 40*time.Millisecond {
		t.Errorf("delays %v, want one full-jitter delay in [0, 40ms]", d)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		maxDelay     time.Duration
		want         time.Duration
	}{
		{"seconds", "1", 5 * time.Second, time.Second},
		{"capped", "120", 2 * time.Second, 2 * time.Second},
		{"zero", "0", 5 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, reply{status: 429, header: map[string]string{"Retry-After": tc.header}}, reply{status: 204})
			c := mustNew(t, Config{URL: rec.srv.URL, Retry: RetryPolicy{MaxDelay: tc.maxDelay}})
			var sl sleeps
			sl.install(c)
			r := c.SendOne(context.Background(), "a=1", "")
			checkCounts(t, r, 1, 1, 0, 0, 2, 204, "")
			if d := sl.delays(); len(d) != 1 || d[0] != tc.want {
				t.Errorf("delays %v, want [%v]", d, tc.want)
			}
		})
	}
}

// TestRetryAfterRealSleep checks the default sleep really waits.
func TestRetryAfterRealSleep(t *testing.T) {
	rec := newRecorder(t, reply{status: 503, header: map[string]string{"Retry-After": "1"}}, reply{status: 204})
	c := mustNew(t, Config{URL: rec.srv.URL})
	start := time.Now()
	r := c.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 1, 0, 0, 2, 204, "")
	if el := time.Since(start); el < time.Second {
		t.Errorf("elapsed %v, want at least the 1s of Retry-After", el)
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	rec := newRecorder(t, reply{status: 400})
	c := mustNew(t, Config{URL: rec.srv.URL})
	var sl sleeps
	sl.install(c)
	r := c.SendOne(context.Background(), "idsite=999&rec=1", "")
	checkCounts(t, r, 1, 0, 1, 0, 1, 400, KindHTTP4xx)
	if n := len(rec.requests()); n != 1 || len(sl.delays()) != 0 {
		t.Errorf("%d requests, %d sleeps; want 1, 0", n, len(sl.delays()))
	}
	var e *Error
	if !errors.As(r.Err, &e) || e.Status != 400 || e.Kind != KindHTTP4xx {
		t.Errorf("Err = %#v, want *Error status 400", r.Err)
	}
}

func TestMaxAttemptsThenFailed(t *testing.T) {
	rec := newRecorder(t, reply{status: 503})
	c := mustNew(t, Config{URL: rec.srv.URL, Retry: RetryPolicy{MaxAttempts: 4}})
	var sl sleeps
	sl.install(c)
	r := c.SendBulk(context.Background(), []string{"a=1", "a=2"}, "")
	checkCounts(t, r, 2, 0, 0, 2, 4, 503, KindHTTP5xx)
	if n := len(rec.requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	// Backoff ceilings 100ms, 200ms, 400ms (defaults).
	d := sl.delays()
	if len(d) != 3 {
		t.Fatalf("delays %v, want 3", d)
	}
	for i, ceil := range []time.Duration{100, 200, 400} {
		if d[i] < 0 || d[i] > ceil*time.Millisecond {
			t.Errorf("delay %d = %v, want in [0, %vms]", i, d[i], int(ceil))
		}
	}
	if want := "matomo: POST " + rec.srv.URL + ": HTTP 503"; r.Err.Error() != want {
		t.Errorf("Err = %q, want %q", r.Err, want)
	}
}

// hangingServer answers nothing until the test ends; it counts requests.
func hangingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	release := make(chan struct{})
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv, &n
}

func TestTimeoutAfterWriteIsUnknownNotRetried(t *testing.T) {
	srv, n := hangingServer(t)
	c := mustNew(t, Config{URL: srv.URL, Timeout: 50 * time.Millisecond, Retry: RetryPolicy{MaxAttempts: 3}})
	var sl sleeps
	sl.install(c)
	r := c.SendBulk(context.Background(), []string{"a=1", "a=2", "a=3"}, "")
	checkCounts(t, r, 3, 0, 0, 0, 1, 0, KindTimeout)
	checkUnknown(t, r, 3)
	if len(sl.delays()) != 0 || n.Load() != 1 {
		t.Errorf("delays %v, %d requests: a timeout after the write is never retried", sl.delays(), n.Load())
	}
	if r.Latency < 50*time.Millisecond {
		t.Errorf("Latency %v below the 50ms timeout", r.Latency)
	}
	if want := "matomo: POST " + srv.URL + ": timeout after the request was sent: "; !strings.HasPrefix(r.Err.Error(), want) {
		t.Errorf("Err = %q, want prefix %q", r.Err, want)
	}
}

func TestAtLeastOnceRetriesTimeout(t *testing.T) {
	srv, n := hangingServer(t)
	c := mustNew(t, Config{URL: srv.URL, Timeout: 50 * time.Millisecond, Delivery: AtLeastOnce, Retry: RetryPolicy{MaxAttempts: 2}})
	var sl sleeps
	sl.install(c)
	r := c.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 0, 0, 0, 2, 0, KindTimeout)
	checkUnknown(t, r, 1)
	if len(sl.delays()) != 1 || n.Load() != 2 {
		t.Errorf("delays %v, %d requests: at-least-once retries a timeout once with MaxAttempts 2", sl.delays(), n.Load())
	}
}

// TestAtLeastOnceRepeatRefused: the first attempt timed out (Matomo
// recorded the order), the repeat is refused as a duplicate order (400).
// The hit is Unknown, not Rejected: the refusal says nothing of the first.
func TestAtLeastOnceRepeatRefused(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if n.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		w.WriteHeader(400)
	}))
	defer srv.Close()
	c := mustNew(t, Config{URL: srv.URL, Timeout: 50 * time.Millisecond, Delivery: AtLeastOnce})
	var sl sleeps
	sl.install(c)
	r := c.SendOne(context.Background(), "ec_id=A1&idgoal=0&rec=1", "")
	checkCounts(t, r, 1, 0, 0, 0, 2, 400, KindHTTP4xx)
	checkUnknown(t, r, 1)
}

// TestAtLeastOnceBulkRepeatSplits: after a timeout, the repeat of a bulk
// request is answered with one invalid entry: the tracked entry is OK, the
// other Unknown.
func TestAtLeastOnceBulkRepeatSplits(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if n.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		_, _ = io.WriteString(w, `{"status":"success","tracked":1,"invalid":1,"invalid_indices":[1]}`)
	}))
	defer srv.Close()
	c := mustNew(t, Config{URL: srv.URL, Timeout: 50 * time.Millisecond, Delivery: AtLeastOnce})
	var sl sleeps
	sl.install(c)
	r := c.SendBulk(context.Background(), []string{"a=1", "a=2"}, "")
	checkCounts(t, r, 2, 1, 0, 0, 2, 200, "")
	checkUnknown(t, r, 1)
}

func TestResetAfterWriteIsUnknown(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		_ = conn.(*net.TCPConn).SetLinger(0)
		_ = conn.Close()
	}))
	defer srv.Close()
	c := mustNew(t, Config{URL: srv.URL})
	var sl sleeps
	sl.install(c)
	r := c.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 0, 0, 0, 1, 0, KindReset)
	checkUnknown(t, r, 1)
	if n.Load() != 1 || len(sl.delays()) != 0 {
		t.Errorf("%d requests, delays %v: a reset after the write is never retried", n.Load(), sl.delays())
	}
}

func TestInvalidDelivery(t *testing.T) {
	_, err := New(Config{URL: "http://127.0.0.1/matomo.php", Delivery: "exactly_once"})
	if want := `matomo: Delivery "exactly_once" is not "at_most_once" or "at_least_once"`; err == nil || err.Error() != want {
		t.Errorf("err %v, want %q", err, want)
	}
}

func TestConnectRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more
	c := mustNew(t, Config{URL: addr + "/matomo.php", Token: testToken, Retry: RetryPolicy{MaxAttempts: 2}})
	var sl sleeps
	sl.install(c)
	r := c.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 0, 0, 1, 2, 0, KindConnect)
	if !strings.HasPrefix(r.Err.Error(), "matomo: POST "+addr+"/matomo.php: connect: ") {
		t.Errorf("Err = %q", r.Err)
	}
}

func TestTLSVerification(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the expected handshake failure
	srv.StartTLS()
	defer srv.Close()

	strict := mustNew(t, Config{URL: srv.URL, Token: testToken})
	var sl sleeps
	sl.install(strict)
	r := strict.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 0, 0, 1, 1, 0, KindTLS) // not retried: it cannot heal
	if len(sl.delays()) != 0 {
		t.Errorf("TLS failure was retried")
	}

	lax := mustNew(t, Config{URL: srv.URL, InsecureSkipVerify: true})
	checkCounts(t, lax.SendOne(context.Background(), "a=1", ""), 1, 1, 0, 0, 1, 204, "")
}

func TestRedirectNotFollowed(t *testing.T) {
	rec := newRecorder(t, reply{status: 308, header: map[string]string{"Location": "https://elsewhere.example/matomo.php?x=1"}})
	c := mustNew(t, Config{URL: rec.srv.URL, Token: testToken})
	r := c.SendOne(context.Background(), "a=1", "")
	checkCounts(t, r, 1, 0, 0, 1, 1, 308, KindHTTP3xx)
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests", n)
	}
}

func TestCancelStopsRetries(t *testing.T) {
	rec := newRecorder(t, reply{status: 503})
	c := mustNew(t, Config{URL: rec.srv.URL, Retry: RetryPolicy{MaxAttempts: 10}})
	ctx, cancel := context.WithCancel(context.Background())
	sleepsSeen := 0
	c.sleep = func(ctx context.Context, d time.Duration) error {
		sleepsSeen++
		if sleepsSeen == 2 {
			cancel()
		}
		return ctx.Err()
	}
	r := c.SendOne(ctx, "a=1", "")
	checkCounts(t, r, 1, 0, 0, 1, 2, 503, KindCanceled)
	if !errors.Is(r.Err, context.Canceled) {
		t.Errorf("Err %v does not wrap context.Canceled", r.Err)
	}
	if n := len(rec.requests()); n != 2 {
		t.Errorf("%d requests after cancel, want 2", n)
	}
}

func TestCanceledBeforeSend(t *testing.T) {
	rec := newRecorder(t)
	c := mustNew(t, Config{URL: rec.srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := c.SendBulk(ctx, []string{"a=1", "a=2"}, "")
	checkCounts(t, r, 2, 0, 0, 2, 1, 0, KindCanceled)
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests with a canceled context", n)
	}
}

func TestCancelDuringRequest(t *testing.T) {
	entered := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client going away
		close(entered)
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := mustNew(t, Config{URL: srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-entered; cancel() }()
	r := c.SendOne(ctx, "a=1", "")
	// Cancelled after the write: Matomo may have recorded it.
	checkCounts(t, r, 1, 0, 0, 0, 1, 0, KindCanceled)
	checkUnknown(t, r, 1)
}

// TestAtLeastOnceCancelAfterWrittenAttempt: the first attempt timed out
// after the write, the caller cancels during the backoff. The hit was
// never sent again, but the first attempt may have recorded it: Unknown.
func TestAtLeastOnceCancelAfterWrittenAttempt(t *testing.T) {
	srv, n := hangingServer(t)
	c := mustNew(t, Config{URL: srv.URL, Timeout: 50 * time.Millisecond, Delivery: AtLeastOnce})
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}
	r := c.SendOne(ctx, "a=1", "")
	checkCounts(t, r, 1, 0, 0, 0, 1, 0, KindCanceled)
	checkUnknown(t, r, 1)
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1", n.Load())
	}
}

// TestAtMostOnceCancelDuringBackoffAfter503: the 503 was not recorded and
// the caller cancels before the retry: Failed, provably not recorded.
func TestAtMostOnceCancelDuringBackoffAfter503(t *testing.T) {
	rec := newRecorder(t, reply{status: 503})
	c := mustNew(t, Config{URL: rec.srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}
	r := c.SendBulk(ctx, []string{"a=1", "a=2"}, "")
	checkCounts(t, r, 2, 0, 0, 2, 1, 503, KindCanceled)
	checkUnknown(t, r, 0)
}
