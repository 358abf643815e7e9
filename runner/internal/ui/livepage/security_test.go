package livepage_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/ui/livepage"
)

// TestStopWantsCSRFAndSameOrigin: the Stop of a live run is refused
// without the page's CSRF token (403), from another origin (403) and as a
// GET (405); the run goes on. With both, it stops the run.
func TestStopWantsCSRFAndSameOrigin(t *testing.T) {
	lr := startLiveRun(t, sinkScenario("csrf", "5/s", ""), nil)
	lr.waitRunning(t)
	_, page := get(t, lr.url)
	csrf := csrfOf(t, page)
	origin := strings.TrimSuffix(lr.url, "/")
	for name, c := range map[string]struct {
		method string
		hdr    map[string]string
		want   int
	}{
		"no CSRF token":         {"POST", map[string]string{"Origin": origin}, 403},
		"wrong CSRF token":      {"POST", map[string]string{"Origin": origin, "X-CSRF-Token": csrf + "x"}, 403},
		"other origin":          {"POST", map[string]string{"Origin": "http://evil.example", "X-CSRF-Token": csrf}, 403},
		"cross-site, no Origin": {"POST", map[string]string{"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": csrf}, 403},
		"GET":                   {"GET", map[string]string{"X-CSRF-Token": csrf}, 405},
	} {
		req, _ := http.NewRequest(c.method, lr.url+"stop", nil)
		for k, v := range c.hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", name, resp.StatusCode, c.want)
		}
	}
	select {
	case <-lr.stopped:
		t.Fatal("a refused request stopped the run")
	case <-time.After(300 * time.Millisecond):
	}
	req, _ := http.NewRequest("POST", lr.url+"stop", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST stop with the CSRF token: status %d, want 202", resp.StatusCode)
	}
	lr.wait(t, 15*time.Second)
	if lr.rep == nil || lr.rep.Run.ExitCode != 130 {
		t.Fatalf("after Stop: %v, %+v; want exit code 130", lr.err, lr.rep)
	}
	// Once the run is over there is nothing to stop.
	resp, err = http.DefaultClient.Do(req.Clone(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("POST stop after the run: %d, want 409", resp.StatusCode)
	}
}

// TestNonLoopbackNeedsToken: the page refuses to serve off loopback
// without a token; with a token, it answers only to it.
func TestNonLoopbackNeedsToken(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		_, err := livepage.Serve(livepage.Options{Addr: addr})
		if !errors.Is(err, runner.ErrUITokenRequired) {
			t.Errorf("Serve(%s) without a token: %v, want ErrUITokenRequired", addr, err)
		}
	}
	const token = "page-token-0123456789"
	// (On loopback: tests listen nowhere else. The token rules are the same.)
	p, err := livepage.Serve(livepage.Options{Addr: "127.0.0.1:0", Token: token})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	url := p.URL()
	if code, body := get(t, url); code != 401 || strings.Contains(body, token) {
		t.Errorf("without the token: %d %q, want 401", code, body)
	}
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Contains(string(body), token) {
		t.Errorf("with the token: %d, the page shows it: %v", resp.StatusCode, strings.Contains(string(body), token))
	}
}

// TestPageHoldsNoSecret: a run whose target token and header come from
// the environment, served with a page token: neither the page, its
// assets, its event stream nor the report shows any of them.
func TestPageHoldsNoSecret(t *testing.T) {
	secrets := map[string]string{"SINK_TOKEN": "sink-secret-token-4f9a", "API_KEY": "header-secret-77c1"}
	yaml := strings.Replace(sinkScenario("secrets", "20/s", `policies:
  - name: busy
    when: visits > 1
    action: warn
`), "{name: eu, kind: sink, site_id: 1}", `{name: eu, kind: sink, site_id: 1, token_auth: "${SINK_TOKEN}", headers: {X-Api-Key: "${API_KEY}"}}`, 1)
	lr := startLiveRun(t, yaml, secrets)
	var seen strings.Builder
	for _, path := range []string{"", "app.js", "app.css"} {
		code, body := get(t, lr.url+path)
		if code != 200 {
			t.Fatalf("GET /%s: %d", path, code)
		}
		seen.WriteString(body)
	}
	// A second of the event stream: several states with the figures.
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", lr.url+"events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	states := 0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: ") {
			states++
		}
		seen.WriteString(sc.Text() + "\n")
	}
	resp.Body.Close()
	if states < 5 || !strings.Contains(seen.String(), `"name":"eu"`) {
		t.Fatalf("%d states read, want at least 5 with target eu", states)
	}
	// Stop, and the final state and the report.
	_, page := get(t, lr.url)
	req, _ = http.NewRequest("POST", lr.url+"stop", nil)
	req.Header.Set("X-CSRF-Token", csrfOf(t, page))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	lr.wait(t, 15*time.Second)
	code, rep := get(t, lr.url+"report")
	if code != 200 {
		t.Fatalf("GET report: %d", code)
	}
	seen.WriteString(rep)
	for name, secret := range secrets {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("the page shows %s", name)
		}
	}
}

// TestRunErrorIsRedacted: a run that could not start shows why, without
// the plan's secrets.
func TestRunErrorIsRedacted(t *testing.T) {
	const secret = "plan-secret-9f8e7d"
	p, err := livepage.Serve(livepage.Options{Addr: "127.0.0.1:0", Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.Finish(nil, errors.New("target eu: preflight: token "+secret+" refused"))
	states(t, p.URL(), 5*time.Second, func(v livepage.View) bool {
		if v.Phase != "done" || v.Report == nil || v.Report.Outcome != "not run" ||
			v.Report.Error != "target eu: preflight: token [redacted] refused" {
			t.Errorf("final state %+v, report %+v; want done, not run, the error redacted", v, v.Report)
		}
		return false
	})
	if code, _ := get(t, p.URL()+"report"); code != http.StatusNotFound {
		t.Errorf("GET report of a run without one: %d, want 404", code)
	}
}
