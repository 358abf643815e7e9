package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const testToken = "s3cret-ui-token"

// guarded is a page with a read-only GET at / and an action at /stop.
func guarded(t *testing.T, token string) (*Guard, http.Handler, *int) {
	t.Helper()
	g, err := NewGuard(token)
	if err != nil {
		t.Fatal(err)
	}
	stops := 0
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("page")) })
	mux.Handle("/stop", Action(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { stops++ })))
	return g, g.Wrap(mux), &stops
}

func do(h http.Handler, method, target string, hdr map[string]string, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Host = "127.0.0.1:8090"
	for k, v := range hdr {
		if k == "Host" {
			r.Host = v
			continue
		}
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestPostWithoutCSRFIsForbidden(t *testing.T) {
	g, h, stops := guarded(t, "")
	for name, c := range map[string]struct {
		hdr  map[string]string
		body string
		want int
	}{
		"no token":         {map[string]string{"Origin": "http://127.0.0.1:8090"}, "", 403},
		"wrong header":     {map[string]string{"Origin": "http://127.0.0.1:8090", CSRFHeader: g.CSRF() + "x"}, "", 403},
		"wrong form field": {map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "csrf=nope", 403},
		"header":           {map[string]string{"Origin": "http://127.0.0.1:8090", CSRFHeader: g.CSRF()}, "", 200},
		"form field":       {map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "csrf=" + url.QueryEscape(g.CSRF()), 200},
	} {
		if w := do(h, "POST", "/stop", c.hdr, c.body); w.Code != c.want {
			t.Errorf("%s: status %d, want %d (%s)", name, w.Code, c.want, w.Body)
		}
	}
	if *stops != 2 {
		t.Errorf("the action ran %d times, want 2 (the two POSTs with the CSRF token)", *stops)
	}
}

func TestCrossOriginPostIsForbidden(t *testing.T) {
	g, h, stops := guarded(t, "")
	for name, hdr := range map[string]map[string]string{
		"other origin":             {"Origin": "http://evil.example"},
		"other port":               {"Origin": "http://127.0.0.1:9999"},
		"null origin":              {"Origin": "null"},
		"null origin, cross-site":  {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
		"origin with path":         {"Origin": "http://127.0.0.1:8090/x"},
		"no origin, cross-site":    {"Sec-Fetch-Site": "cross-site"},
		"no origin, same-site":     {"Sec-Fetch-Site": "same-site"},
		"scheme other than http/s": {"Origin": "file://127.0.0.1:8090"},
	} {
		hdr[CSRFHeader] = g.CSRF()
		if w := do(h, "POST", "/stop", hdr, ""); w.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, w.Code)
		}
	}
	if *stops != 0 {
		t.Errorf("the action ran %d times, want 0", *stops)
	}
	if w := do(h, "POST", "/stop", map[string]string{CSRFHeader: g.CSRF(), "Sec-Fetch-Site": "same-origin"}, ""); w.Code != 200 {
		t.Errorf("same-origin without Origin: status %d, want 200", w.Code)
	}
	// What Chromium sends with a page's own POST under Referrer-Policy:
	// no-referrer.
	if w := do(h, "POST", "/stop", map[string]string{CSRFHeader: g.CSRF(), "Origin": "null", "Sec-Fetch-Site": "same-origin"}, ""); w.Code != 200 {
		t.Errorf("same-origin with Origin: null: status %d, want 200", w.Code)
	}
}

func TestActionWantsPost(t *testing.T) {
	_, h, stops := guarded(t, "")
	w := do(h, "GET", "/stop", nil, "")
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET /stop: status %d Allow %q, want 405 POST", w.Code, w.Header().Get("Allow"))
	}
	if *stops != 0 {
		t.Errorf("the action ran on a GET")
	}
}

func TestTokenIsRequiredWhenSet(t *testing.T) {
	_, h, _ := guarded(t, testToken)
	for name, c := range map[string]struct {
		hdr  map[string]string
		want int
	}{
		"none":                {nil, 401},
		"wrong bearer":        {map[string]string{"Authorization": "Bearer nope"}, 401},
		"prefix of the token": {map[string]string{"Authorization": "Bearer " + testToken[:5]}, 401},
		"token plus a byte":   {map[string]string{"Authorization": "Bearer " + testToken + "x"}, 401},
		"wrong cookie":        {map[string]string{"Cookie": CookieName + "=nope"}, 401},
		"basic auth":          {map[string]string{"Authorization": "Basic " + testToken}, 401},
		"bearer":              {map[string]string{"Authorization": "Bearer " + testToken}, 200},
		"cookie":              {map[string]string{"Cookie": CookieName + "=" + testToken}, 200},
	} {
		w := do(h, "GET", "/", c.hdr, "")
		if w.Code != c.want {
			t.Errorf("%s: status %d, want %d", name, w.Code, c.want)
		}
		if strings.Contains(w.Body.String(), testToken) {
			t.Errorf("%s: the answer shows the token: %q", name, w.Body)
		}
	}
	if w := do(h, "GET", "/?token=nope", nil, ""); w.Code != 401 || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("?token=wrong: status %d Set-Cookie %q, want 401 and no cookie", w.Code, w.Header().Get("Set-Cookie"))
	}
	// A POST needs the token as well as the CSRF token: the token first.
	if w := do(h, "POST", "/stop", nil, ""); w.Code != 401 {
		t.Errorf("POST without token: status %d, want 401", w.Code)
	}
}

func TestQueryTokenSetsCookieAndRedirectsWithoutIt(t *testing.T) {
	_, h, _ := guarded(t, testToken)
	for target, loc := range map[string]string{
		"/?token=" + testToken:                  "./",
		"/live/?a=1&token=" + testToken:         "./?a=1",
		"/live/report?token=" + testToken + "&": "./report",
	} {
		w := do(h, "GET", target, nil, "")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != loc {
			t.Errorf("GET %s: status %d Location %q, want 303 %q", target, w.Code, w.Header().Get("Location"), loc)
		}
		cookies := w.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("GET %s: %d cookies, want 1", target, len(cookies))
		}
		c := cookies[0]
		if c.Name != CookieName || c.Value != testToken || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
			t.Errorf("GET %s: cookie %+v, want %s=token HttpOnly SameSite=Strict Path=/", target, c, CookieName)
		}
	}
	// The token in a POST's query is not a way in.
	if w := do(h, "POST", "/stop?token="+testToken, nil, ""); w.Code != 401 {
		t.Errorf("POST ?token=: status %d, want 401", w.Code)
	}
}

func TestEveryAnswerHasTheSecurityHeaders(t *testing.T) {
	_, h, _ := guarded(t, testToken)
	for _, w := range []*httptest.ResponseRecorder{
		do(h, "GET", "/", map[string]string{"Authorization": "Bearer " + testToken}, ""),
		do(h, "GET", "/", nil, ""),
		do(h, "POST", "/stop", map[string]string{"Authorization": "Bearer " + testToken}, ""),
		do(h, "GET", "/?token="+testToken, nil, ""),
	} {
		for k, v := range map[string]string{
			"Content-Security-Policy": ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"Cache-Control":           "no-store",
		} {
			if got := w.Header().Get(k); got != v {
				t.Errorf("status %d: %s %q, want %q", w.Code, k, got, v)
			}
		}
	}
	if !strings.Contains(ContentSecurityPolicy, "script-src 'self';") || strings.Contains(ContentSecurityPolicy, "unsafe") {
		t.Errorf("CSP %q must allow own scripts only, nothing unsafe", ContentSecurityPolicy)
	}
}

func TestWithoutTokenOnlyLoopbackHostNames(t *testing.T) {
	_, h, _ := guarded(t, "")
	for host, want := range map[string]int{
		"127.0.0.1:8090": 200, "localhost:8090": 200, "[::1]:8090": 200, "127.0.0.1": 200,
		"evil.example:8090": 403, "192.168.1.2:8090": 403, "": 403,
	} {
		if w := do(h, "GET", "/", map[string]string{"Host": host}, ""); w.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, w.Code, want)
		}
	}
}

func TestCheckBind(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		refused     bool
	}{
		{"127.0.0.1:0", "", false},
		{"127.1.2.3:8090", "", false},
		{"localhost:8090", "", false},
		{"[::1]:8090", "", false},
		{"0.0.0.0:8090", "", true},
		{":8090", "", true},
		{"[::]:8090", "", true},
		{"192.168.1.2:8090", "", true},
		{"example.com:8090", "", true},
		{"0.0.0.0:8090", "t", false},
	} {
		err := CheckBind(c.addr, c.token)
		if got := errors.Is(err, ErrTokenRequired); got != c.refused {
			t.Errorf("CheckBind(%q, %q) = %v, want refused %v", c.addr, c.token, err, c.refused)
		}
		if err != nil && !strings.Contains(err.Error(), "--ui-token or TRAFFICINATOR_UI_TOKEN is required to serve on a non-loopback address") {
			t.Errorf("CheckBind(%q): message %q", c.addr, err)
		}
	}
	if err := CheckBind("127.0.0.1", ""); err == nil || errors.Is(err, ErrTokenRequired) {
		t.Errorf("CheckBind without a port = %v, want an address error", err)
	}
}
