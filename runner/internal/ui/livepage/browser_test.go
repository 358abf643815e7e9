package livepage_test

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/ui/livepage"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web/webtest"
	"github.com/trafficinator/trafficinator/runner/report"
)

// ScreenshotEnv names the PNG file the browser test writes of the live
// page (make ui-screenshot: docs/ui-live.png).
const ScreenshotEnv = "TRAFFICINATOR_UI_SCREENSHOT"

// TestBrowserLivePage drives Chromium against a real run on two sinks:
// the target rows appear and their counters rise, a firing policy's badge
// turns red, and Stop ends the run gracefully (interrupted, exit code 130
// in the report) with the report on the page and behind its link.
func TestBrowserLivePage(t *testing.T) {
	lr := startLiveRun(t, sinkScenario("live-page", "20/s", `policies:
  - name: busy
    when: visits > 3
    action: warn
  - name: no-errors
    when: errors > 0
    action: fail
`), nil)
	ctx := webtest.Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(lr.url)); err != nil {
		t.Fatal(err)
	}
	if _, err := webtest.WaitText(ctx, "#phase", webtest.Is("running")); err != nil {
		t.Fatal(err)
	}
	if got, err := webtest.WaitText(ctx, "#scenario", webtest.Is("live-page")); err != nil {
		t.Fatalf("scenario %q: %v", got, err)
	}

	// Both target rows, and their visits rise.
	first := map[string]int{}
	for _, target := range []string{"eu", "us"} {
		sel := `#targets tr[data-target="` + target + `"] td.visits`
		got, err := webtest.WaitText(ctx, sel, func(s string) bool { return visits(s) > 0 })
		if err != nil {
			t.Fatalf("target %s: visits %q: %v", target, got, err)
		}
		first[target] = visits(got)
	}
	for target, n := range first {
		sel := `#targets tr[data-target="` + target + `"] td.visits`
		if got, err := webtest.WaitText(ctx, sel, func(s string) bool { return visits(s) > n }); err != nil {
			t.Fatalf("target %s: visits stay at %q (first %d): %v", target, got, n, err)
		}
	}

	// The policy that holds fires: its badge says so, in red; the other
	// stays ok.
	busy := `#policies tr[data-policy="busy"] .state`
	if got, err := webtest.WaitText(ctx, busy, webtest.Is("firing")); err != nil {
		t.Fatalf("policy busy: %q: %v", got, err)
	}
	red, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('`+busy+`')).backgroundColor`))
	if err != nil || red != "rgb(207, 34, 46)" {
		t.Errorf("the firing badge's background is %q (%v), want red rgb(207, 34, 46)", red, err)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#policies tr[data-policy="no-errors"] .state`))); got != "ok" {
		t.Errorf("policy no-errors shows %q, want ok", got)
	}
	// Stop: the run ends gracefully, as after one Ctrl-C.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#stop"))); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lr.stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the Stop button did not stop the run")
	}
	lr.wait(t, 15*time.Second)
	if lr.err != nil || lr.rep.Run.Outcome != runner.OutcomeInterrupted || lr.rep.Run.ExitCode != 130 {
		t.Fatalf("after Stop: err %v, report %+v; want outcome interrupted, exit code 130", lr.err, lr.rep.Run)
	}
	if got, err := webtest.WaitText(ctx, "#phase", webtest.Is("done")); err != nil {
		t.Fatalf("phase %q: %v", got, err)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#outcome"))); got != "interrupted" {
		t.Errorf("the page's outcome is %q, want interrupted", got)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#exit-code"))); got != "130" {
		t.Errorf("the page's exit code is %q, want 130", got)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("report-link").hidden`))
	if err != nil || hidden {
		t.Errorf("the report link is hidden (%v) once the run is done", err)
	}
	code, body := get(t, lr.url+"report")
	var got report.Report
	if code != 200 || json.Unmarshal([]byte(body), &got) != nil || got.Run.ID != lr.rep.Run.ID || got.Run.Outcome != "interrupted" {
		t.Errorf("GET report: %d, run %+v; want the report of run %s", code, got.Run, lr.rep.Run.ID)
	}
}

// visits reads a number as the page shows it (1,234).
func visits(s string) int {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return -1
	}
	return n
}

// TestBrowserScreenshot writes the PNG of docs/ui.md (make ui-screenshot):
// a run on three sinks, eight seconds in, with a target taken out by its
// policy and a policy firing. Without TRAFFICINATOR_UI_SCREENSHOT it has
// nothing to write and is skipped.
func TestBrowserScreenshot(t *testing.T) {
	path := os.Getenv(ScreenshotEnv)
	if path == "" {
		t.Skip(ScreenshotEnv + " is not set (make ui-screenshot sets it)")
	}
	yaml := strings.Replace(sinkScenario("checkout-smoke", "30/s", `policies:
  - name: us-budget
    scope: target
    targets: [us]
    when: visits > 60
    action: disable_target
  - name: busy
    when: visits > 150
    action: warn
  - name: latency
    when: p95_ms > 1000
    for: 10s
    action: fail
  - name: no-errors
    when: errors > 0
    action: fail
`), "  - {name: us, kind: sink, site_id: 2}\n", "  - {name: us, kind: sink, site_id: 2}\n  - {name: asia, kind: sink, site_id: 3}\n", 1)
	lr := startLiveRun(t, yaml, nil)
	ctx := webtest.Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(lr.url)); err != nil {
		t.Fatal(err)
	}
	if _, err := webtest.WaitText(ctx, `#targets tr[data-target="us"] td.reason`, func(s string) bool { return s != "" }); err != nil {
		t.Fatal(err)
	}
	if _, err := webtest.WaitText(ctx, `#policies tr[data-policy="busy"] .state`, webtest.Is("firing")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * time.Second) // a chart with some history
	if err := webtest.Screenshot(ctx, path); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 10<<10 {
		t.Fatalf("screenshot %s: %v (%d bytes)", path, err, st.Size())
	}
}

// TestBrowserTokenCookieAndReload opens a page that asks for a token as
// a person does, with ?token= once: the browser lands on the address
// without it, holds the token in a cookie its scripts cannot read, gets
// the events with it, and a reload and a second tab show the state too.
func TestBrowserTokenCookieAndReload(t *testing.T) {
	const token = "browser-token-5c2e9a"
	p, err := livepage.Serve(livepage.Options{Addr: "127.0.0.1:0", Token: token, Scenario: "with-token"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := webtest.Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(p.URL()+"?token="+token)); err != nil {
		t.Fatal(err)
	}
	if got, err := webtest.WaitText(ctx, "#phase", webtest.Is("preflight")); err != nil {
		t.Fatalf("phase %q: %v", got, err)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil || href != p.URL() {
		t.Errorf("the address is %q (%v), want %q without the token", href, err, p.URL())
	}
	if cookie, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie`)); cookie != "" {
		t.Errorf("scripts can read the cookie: %q", cookie)
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if got, err := webtest.WaitText(ctx, "#scenario", webtest.Is("with-token")); err != nil {
		t.Fatalf("after a reload, scenario %q: %v", got, err)
	}
	second := webtest.Tab(t)
	if err := chromedp.Do(second, chromedp.Navigate(p.URL())); err != nil {
		t.Fatal(err)
	}
	if got, err := webtest.WaitText(second, "#phase", webtest.Is("preflight")); err != nil {
		t.Fatalf("a second tab shows phase %q: %v", got, err)
	}
	// The stream of the page before the reload ends once the server sees
	// its connection go.
	for end := time.Now().Add(5 * time.Second); p.Clients() != 2 && time.Now().Before(end); {
		time.Sleep(20 * time.Millisecond)
	}
	if n := p.Clients(); n != 2 {
		t.Errorf("%d event streams open, want 2 (the reloaded tab's and the second tab's)", n)
	}
}
