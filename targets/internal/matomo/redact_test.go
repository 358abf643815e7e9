package matomo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// tokenForms are the spellings of testToken that must never show up.
var tokenForms = []string{testToken, url.QueryEscape(testToken), url.PathEscape(testToken)}

func assertNoToken(t *testing.T, where, s string) {
	t.Helper()
	for _, f := range tokenForms {
		if strings.Contains(s, f) {
			t.Errorf("%s contains the token (%q): %s", where, f, s)
		}
	}
}

// reachable lists every string a caller can get out of a Result.
func reachable(r Result) []string {
	out := []string{fmt.Sprintf("%v", r), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r)}
	for err := r.Err; err != nil; err = errors.Unwrap(err) {
		out = append(out, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	return out
}

func TestTokenNeverLeaks(t *testing.T) {
	rec := newRecorder(t, reply{status: 400}, reply{status: 500}, reply{status: 429, header: map[string]string{"Retry-After": "0"}},
		reply{status: 302, header: map[string]string{"Location": "/x?token_auth=" + testToken}},
		reply{status: 200, body: `{"status":"error","message":"bad token ` + testToken + `"}`})
	c := mustNew(t, Config{URL: rec.srv.URL + "/matomo.php", Token: testToken, Retry: RetryPolicy{MaxAttempts: 1}})

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(100 * time.Millisecond) }))
	defer slow.Close()
	timeoutClient := mustNew(t, Config{URL: slow.URL, Token: testToken, Timeout: 20 * time.Millisecond, Retry: RetryPolicy{MaxAttempts: 1}})
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	refused := mustNew(t, Config{URL: closed.URL, Token: testToken, Retry: RetryPolicy{MaxAttempts: 1}})
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	var results []Result
	for range 5 {
		results = append(results, c.SendOne(context.Background(), "idsite=1&rec=1", "UA"),
			c.SendBulk(context.Background(), []string{"idsite=1&rec=1"}, "UA"))
	}
	results = append(results,
		timeoutClient.SendOne(context.Background(), "a=1", ""),
		refused.SendBulk(context.Background(), []string{"a=1"}, ""),
		c.SendOne(canceled, "a=1", ""))
	kinds := map[string]bool{}
	for _, r := range results {
		kinds[r.ErrKind] = true
		for _, s := range reachable(r) {
			assertNoToken(t, "result", s)
		}
	}
	for _, k := range []string{KindHTTP4xx, KindHTTP5xx, KindHTTP429, KindHTTP3xx, KindTimeout, KindConnect, KindCanceled} {
		if !kinds[k] {
			t.Errorf("no result of kind %s was checked (kinds %v)", k, kinds)
		}
	}
	for _, q := range rec.requests() {
		assertNoToken(t, "request URI", q.RequestURI)
		for k, vs := range q.Header {
			for _, v := range vs {
				assertNoToken(t, "header "+k, v)
			}
		}
	}
	pf := mustNew(t, Config{URL: rec.srv.URL, Token: testToken}).Preflight(context.Background())
	assertNoToken(t, "preflight", fmt.Sprintf("%#v", pf))
}

func TestRedactorScrubsEveryForm(t *testing.T) {
	r := newRedactor(testToken)
	for _, f := range tokenForms {
		if got := r.Scrub("x " + f + " y"); got != "x [redacted] y" {
			t.Errorf("scrub(%q) = %q", f, got)
		}
	}
	if got := newRedactor("").Scrub("plain"); got != "plain" {
		t.Errorf("empty token changes text: %q", got)
	}
	// A cause whose own text carries the token is not exposed by Unwrap.
	cause := errors.New("dial tcp: lookup " + testToken + ": no such host")
	e := r.newError(KindDNS, 0, "POST", "https://h/matomo.php", "dns", cause)
	if e.Error() != "matomo: POST https://h/matomo.php: dns: dial tcp: lookup [redacted]: no such host" {
		t.Errorf("Error() = %q", e.Error())
	}
	if errors.Unwrap(e) != nil {
		t.Errorf("Unwrap exposes a cause containing the token")
	}
	clean := errors.New("connection refused")
	if e := r.newError(KindConnect, 0, "POST", "h", "connect", clean); errors.Unwrap(e) != clean {
		t.Errorf("Unwrap hides a clean cause")
	}
}
