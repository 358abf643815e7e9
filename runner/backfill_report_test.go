package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/trafficinator/trafficinator/targets"
)

// fakeMatomo serves tracking requests with a sink and answers the
// Reporting API's invalidateArchivedReports with answer, keeping the forms
// it was sent.
type fakeMatomo struct {
	url string

	mu    sync.Mutex
	forms []url.Values
}

// calls returns the forms received so far.
func (f *fakeMatomo) calls() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.forms...)
}

func startFakeMatomo(t *testing.T, answer string) *fakeMatomo {
	t.Helper()
	s, err := targets.NewSink(targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}, Timezone: "Europe/Stockholm"}}})
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeMatomo{}
	mux := http.NewServeMux()
	mux.Handle("/matomo.php", s)
	mux.HandleFunc("/index.php", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil || r.Method != http.MethodPost {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.forms = append(f.forms, form)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.url = srv.URL + "/matomo.php"
	return f
}

// invalidateScenario has a Matomo target at u and a built-in sink, and
// invalidates the archives after the backfill.
func invalidateScenario(u string) string {
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: invalidate}
run:
  mode: backfill
  timezone: Europe/Stockholm
  seed: 5
  backfill: {from: 2026-10-24, to: 2026-10-25, visits_per_day: 10, invalidate: true}
routing: round-robin
targets:
  - {name: matomo, kind: matomo, url: %q, site_id: 1, token_auth: %s}
  - {name: local, kind: sink, site_id: 1, token_auth: %s}
`, u, bfToken, bfToken)
}

// TestBackfillInvalidate: invalidate: true asks each Matomo target to
// invalidate the days that got visits; the built-in sink is skipped.
func TestBackfillInvalidate(t *testing.T) {
	m := startFakeMatomo(t, `{"result":"success","message":"Success: The following dates were invalidated successfully: 2026-10-24, 2026-10-25"}`)
	rep := runBF(t, context.Background(), bfCompile(t, invalidateScenario(m.url), bfClock), Options{})
	forms := m.calls()
	if len(forms) != 1 {
		t.Fatalf("%d API calls, want 1", len(forms))
	}
	want := url.Values{
		"module": {"API"}, "method": {"CoreAdminHome.invalidateArchivedReports"}, "idSites": {"1"},
		"dates": {"2026-10-24,2026-10-25"}, "period": {"day"}, "format": {"JSON"}, "token_auth": {bfToken},
	}
	if got := forms[0].Encode(); got != want.Encode() {
		t.Errorf("API form %s, want %s", got, want.Encode())
	}
	got := fmt.Sprintf("%+v", rep.Backfill.Invalidated)
	if got != "[{Target:matomo OK:true Detail:invalidated 2 day(s): 2026-10-24,2026-10-25} {Target:local OK:false Detail:skipped: the built-in sink keeps no archives}]" {
		t.Errorf("invalidations %s", got)
	}
	if !strings.Contains(rep.Backfill.NextSteps, "core:archive") || !strings.Contains(rep.Backfill.NextSteps, "invalidate") {
		t.Errorf("next steps %q", rep.Backfill.NextSteps)
	}
}

// TestBackfillInvalidateRefused reports Matomo's refusal, without the
// token.
func TestBackfillInvalidateRefused(t *testing.T) {
	m := startFakeMatomo(t, `{"result":"error","message":"You can't access this resource as it requires 'admin' access for the website id = 1. token_auth=`+bfToken+`"}`)
	rep := runBF(t, context.Background(), bfCompile(t, invalidateScenario(m.url), bfClock), Options{})
	inv := rep.Backfill.Invalidated
	if len(inv) != 2 || inv[0].Target != "matomo" || inv[0].OK {
		t.Fatalf("invalidations %+v, want matomo failed", inv)
	}
	if !strings.Contains(inv[0].Detail, "requires 'admin' access") || strings.Contains(inv[0].Detail, bfToken) {
		t.Errorf("detail %q: want Matomo's message without the token", inv[0].Detail)
	}
}

// TestBackfillWithoutInvalidate leaves the archives alone and says what to
// do.
func TestBackfillWithoutInvalidate(t *testing.T) {
	m := startFakeMatomo(t, `{"result":"success"}`)
	yaml := strings.Replace(invalidateScenario(m.url), ", invalidate: true", "", 1)
	rep := runBF(t, context.Background(), bfCompile(t, yaml, bfClock), Options{})
	if n := len(m.calls()); n != 0 || rep.Backfill.Invalidated != nil {
		t.Errorf("%d API calls, invalidations %+v: want none", n, rep.Backfill.Invalidated)
	}
	if rep.Backfill.NextSteps != nextSteps || rep.Backfill.Timezone != "Europe/Stockholm" {
		t.Errorf("next steps %q, timezone %q", rep.Backfill.NextSteps, rep.Backfill.Timezone)
	}
}
