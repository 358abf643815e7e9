package control_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/trafficinator/trafficinator/runner/internal/ui/web/webtest"
)

// browserYAML is a small sink scenario whose visits end quickly, so that a
// stop's grace is short.
const browserYAML = `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: browser-sink }
run: { rate: 20/s, duration: 2m, seed: 1 }
traffic: { pause: { min: 10ms, max: 50ms } }
targets:
  - name: local
    kind: sink
    site_id: 1
    token_auth: ${UI_TEST_SECRET}
`

// screenshotEnv names the PNG the browser test writes of the control page
// after its run (make ui-screenshot: docs/ui-control.png).
const screenshotEnv = "TRAFFICINATOR_UI_CONTROL_SCREENSHOT"

// cliBinary builds trafficinator: the browser test runs `trafficinator ui`
// as a person does, and ui runs apply from the same binary.
func cliBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trafficinator")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/trafficinator/trafficinator/cmd/trafficinator").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBrowserStartWatchStopAndFindTheReport: in `trafficinator ui DIR`, a
// scenario is started from the page, its live page (under /live/) shows
// its counters rising, its Stop ends the run as one Ctrl-C (exit 130),
// and its report is in the list of past runs. No page holds the secret.
func TestBrowserStartWatchStopAndFindTheReport(t *testing.T) {
	ctx := webtest.Tab(t) // first: skips (or fails on CI) without Chromium
	bin := cliBinary(t)
	dir := filepath.Join(t.TempDir(), "scenarios")
	write(t, filepath.Join(dir, "sink.yaml"), browserYAML)
	cmd := exec.Command(bin, "ui", "scenarios", "--addr", "127.0.0.1:0")
	cmd.Dir = filepath.Dir(dir)
	cmd.Env = append(os.Environ(), "UI_TEST_SECRET="+secret, "TRAFFICINATOR_UI_TOKEN=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "control page at http://127.0.0.1:") {
		t.Fatalf("first line %q, want the control page's address", sc.Text())
	}
	page := strings.TrimPrefix(sc.Text(), "control page at ")
	go func() { // keep ui's stderr flowing
		for sc.Scan() {
		}
	}()

	noSecret := func(where string) {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(html, secret) {
			t.Errorf("%s shows the secret", where)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.Click(chromedp.CSS(`tr[data-file="sink.yaml"] button.start`)),
		chromedp.WaitVisible(chromedp.CSS(`#live`)), // the page reloads itself once the live page is up
	); err != nil {
		t.Fatal(err)
	}
	noSecret("the control page")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#live`))); err != nil {
		t.Fatal(err)
	}
	visits := `#targets tr[data-target="local"] td.visits`
	first, err := webtest.WaitText(ctx, visits, func(s string) bool { return count(s) > 0 })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := webtest.WaitText(ctx, visits, func(s string) bool { return count(s) > count(first) }); err != nil {
		t.Fatalf("the counters do not rise: %v", err)
	}
	noSecret("the live page")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#stop`))); err != nil {
		t.Fatal(err)
	}

	// Back on the control page: the run ended as one Ctrl-C, and its
	// report heads the past runs.
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	if _, err := webtest.WaitText(ctx, "#exit", webtest.Is("130")); err != nil {
		t.Fatalf("the run's exit code: %v", err)
	}
	row := `#runs tbody tr:first-child`
	for sel, want := range map[string]string{row + " td.outcome": "interrupted", row + " td.exit": "130"} {
		if got, err := webtest.WaitText(ctx, sel, webtest.Is(want)); err != nil {
			t.Errorf("%s = %q: %v", sel, got, err)
		}
	}
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(row), "data-report"))
	if err != nil {
		t.Fatal(err)
	}
	name := attr.Value
	if !regexp.MustCompile(`^\d{8}T\d{6}Z-sink\.json$`).MatchString(name) {
		t.Errorf("report %q", name)
	}
	if _, err := os.Stat(filepath.Join(dir, ".trafficinator", "runs", name)); err != nil {
		t.Errorf("the report is not in the default runs folder: %v", err)
	}
	noSecret("the control page after the run")
	if path := os.Getenv(screenshotEnv); path != "" {
		if err := webtest.Screenshot(ctx, path); err != nil {
			t.Error(err)
		}
	}

	// ui ends on SIGINT with exit 0.
	_ = cmd.Process.Signal(syscall.SIGINT)
	waitCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ui after SIGINT: %v, want exit 0", err)
		}
	case <-waitCtx.Done():
		t.Error("ui did not end within 10 s of SIGINT")
	}
}

// count reads a counter the live page shows ("1,234").
func count(s string) int {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return -1
	}
	return n
}
