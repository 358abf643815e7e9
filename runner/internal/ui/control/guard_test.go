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
