package control_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
)

// TestStateChangesGoThroughTheGuard: behind the Guard (as ui serves the
// page) a start, stop or test without the page's CSRF token, or from
// another origin, is refused with 403 before it reaches the page.
func TestStateChangesGoThroughTheGuard(t *testing.T) {
	f := newFixture(t)
	guard, err := web.NewGuard("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(guard.Wrap(f.ctl.Handler()))
	t.Cleanup(srv.Close)
	post := func(path string, form url.Values, origin string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return read(t, resp)
	}
	for _, path := range []string{"/start", "/stop", "/test", "/live/stop"} {
		form := url.Values{"file": {"good.yaml"}}
		if code, body := post(path, form, srv.URL); code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("POST %s without the CSRF token = %d, want 403\n%s", path, code, body)
		}
		form.Set("csrf", guard.CSRF())
		if code, body := post(path, form, "http://evil.example"); code != http.StatusForbidden || !strings.Contains(body, "cross-origin") {
			t.Errorf("cross-origin POST %s = %d, want 403\n%s", path, code, body)
		}
	}
	if s := f.state(t); s.Run != nil {
		t.Fatalf("a refused request started a run: %+v", s.Run)
	}
	// With the token and from the page's origin, the guard lets it through.
	resp, err := client.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Content-Security-Policy") != web.ContentSecurityPolicy {
		t.Errorf("CSP = %q", resp.Header.Get("Content-Security-Policy"))
	}
	read(t, resp)
	if code, body := post("/test", url.Values{"file": {"good.yaml"}, "csrf": {guard.CSRF()}}, srv.URL); code != http.StatusOK {
		t.Errorf("POST /test with the token, same origin = %d\n%s", code, body)
	}
}

// TestLivePageBehindAToken: with a token, the browser's token (here a
// Bearer header; a cookie alike) opens the control page and its /live/
// proxy, which gives the run its own token instead; without it, 401.
func TestLivePageBehindAToken(t *testing.T) {
	f := newFixture(t)
	guard, err := web.NewGuard("browser-token")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(guard.Wrap(f.ctl.Handler()))
	t.Cleanup(srv.Close)
	do := func(method, path, token string, form url.Values) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", srv.URL)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return read(t, resp)
	}
	if code, _ := do(http.MethodGet, "/", "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET / without the token = %d, want 401", code)
	}
	if code, body := do(http.MethodPost, "/start", "browser-token", url.Values{"file": {"good.yaml"}, "csrf": {guard.CSRF()}}); code != http.StatusSeeOther {
		t.Fatalf("start = %d\n%s", code, body)
	}
	f.waitFor(t, "the live page", func(s state) bool { return s.Run != nil && s.Run.Live })
	if code, _ := do(http.MethodGet, "/live/", "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET /live/ without the token = %d, want 401", code)
	}
	if code, body := do(http.MethodGet, "/live/", "browser-token", nil); code != http.StatusOK || !strings.Contains(body, `<p id="path">/</p>`) {
		t.Errorf("GET /live/ with the token = %d\n%s", code, body)
	}
	if code, _ := do(http.MethodPost, "/stop", "browser-token", url.Values{"csrf": {guard.CSRF()}}); code != http.StatusSeeOther {
		t.Errorf("stop = %d", code)
	}
	f.waitFor(t, "the end of the run", func(s state) bool { return !s.Run.Running && s.Run.Exit == 130 })
}
