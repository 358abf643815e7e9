// Package webtest drives Debian's Chromium, headless, for the browser
// tests of the pages (chromedp). One browser serves a whole test binary;
// each test gets a tab of its own. Without Chromium a test is skipped,
// except on CI (CI=true), where it fails: .ci/run installs it.
package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package puts the browser.
const ChromiumPath = "/usr/bin/chromium"

// TabTimeout bounds one test's use of its tab, so that a page that never
// shows what a test waits for fails the test instead of hanging it.
const TabTimeout = 60 * time.Second

var shared struct {
	once    sync.Once
	ctx     context.Context // the browser; tabs are its children
	cancel  func()
	dataDir string
	err     error
}

// Run runs a test binary's tests and then closes the shared browser:
// call it from TestMain as os.Exit(webtest.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
		_ = os.RemoveAll(shared.dataDir)
	}
	return code
}

// Available reports whether Chromium is installed where the tests look.
func Available() bool {
	_, err := os.Stat(ChromiumPath)
	return err == nil
}

// present reports whether the browser at path is there; when it is not,
// it fails the test on CI (CI=true), where the browser tests must run,
// and skips it elsewhere.
func present(t testing.TB, path string) bool {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return true
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing; on CI the browser tests must run (.ci/run installs the chromium package)", path)
	} else {
		t.Skipf("%s is missing (apt-get install chromium); browser test skipped", path)
	}
	return false
}

// Tab opens a new tab in the shared browser, closed when the test ends.
// Without Chromium it skips the test, or fails it when CI=true.
func Tab(t testing.TB) context.Context {
	t.Helper()
	if !present(t, ChromiumPath) {
		return nil // not reached: present failed or skipped the test
	}
	shared.once.Do(start)
	if shared.err != nil {
		t.Fatalf("starting %s: %v", ChromiumPath, shared.err)
	}
	tab, closeTab := chromedp.NewContext(shared.ctx)
	ctx, cancel := context.WithTimeout(tab, TabTimeout)
	t.Cleanup(func() { cancel(); closeTab() })
	return ctx
}

// start launches the browser with a fresh profile and no network of its
// own: no QUIC, no background requests, no component updates, no sync.
func start() {
	dir, err := os.MkdirTemp("", "trafficinator-chromium-")
	if err != nil {
		shared.err = err
		return
	}
	shared.dataDir = dir
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.UserDataDir(dir),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	// Start the browser now, so a broken install fails the first test
	// clearly instead of every tab.
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		shared.err = err
		return
	}
	shared.ctx = browser
	shared.cancel = func() { cancelBrowser(); cancelAlloc() }
}

// Screenshot writes a PNG of the whole page to path.
func Screenshot(ctx context.Context, path string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// WaitText waits until the text of the first element sel matches (ok
// returns true), and returns the last text read ("" while there is no
// such element). It reads every 50 ms, up to the tab's deadline, in one
// script call: pages that redraw their rows never hand out a node that is
// gone by the time its text is read.
func WaitText(ctx context.Context, sel string, ok func(string) bool) (string, error) {
	q, err := json.Marshal(sel)
	if err != nil {
		return "", err
	}
	expr := `(function () { var e = document.querySelector(` + string(q) + `); return e ? e.textContent : ""; })()`
	var last string
	for {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			return last, fmt.Errorf("reading %s (last %q): %w", sel, last, err)
		}
		if last = strings.TrimSpace(s); ok(last) {
			return last, nil
		}
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("%s still shows %q: %w", sel, last, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Is is WaitText's test for an exact text.
func Is(want string) func(string) bool { return func(s string) bool { return s == want } }
