package webtest_test

import (
	"embed"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web/webtest"
)

//go:embed testdata
var files embed.FS

func TestMain(m *testing.M) { os.Exit(webtest.Run(m)) }

// TestBrowserSeesGuardedPageAndEvents serves a small page the way the
// pages are served (guard, embedded assets, hub) and checks in Chromium
// that the script runs, events arrive, and an inline script is blocked by
// the Content-Security-Policy.
func TestBrowserSeesGuardedPageAndEvents(t *testing.T) {
	g, err := web.NewGuard("")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.Assets(files, "testdata")
	if err != nil {
		t.Fatal(err)
	}
	hub := &web.Hub{}
	mux := http.NewServeMux()
	mux.Handle("/events", hub)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			r.URL.Path = "/index.html"
		}
		assets.ServeHTTP(w, r)
	}))
	srv, err := web.Listen("127.0.0.1:0", "", g.Wrap(mux), hub)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Stop() }()
	hub.Publish("state", []byte(`{"n":"first"}`), true)

	ctx := webtest.Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL()), chromedp.WaitVisible(chromedp.CSS("#state"))); err != nil {
		t.Fatal(err)
	}
	if got, err := webtest.WaitText(ctx, "#state", webtest.Is("first")); err != nil {
		t.Fatalf("state %q: %v", got, err)
	}
	for hub.Clients() != 1 {
		time.Sleep(10 * time.Millisecond)
	}
	hub.Publish("state", []byte(`{"n":"second"}`), true)
	if got, err := webtest.WaitText(ctx, "#state", webtest.Is("second")); err != nil {
		t.Fatalf("state %q: %v", got, err)
	}
	inline, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#inline")))
	if err != nil || inline != "untouched" {
		t.Errorf("inline script: %q, %v; the CSP must block it", inline, err)
	}
}
