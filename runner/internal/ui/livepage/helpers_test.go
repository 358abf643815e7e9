package livepage_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/ui/livepage"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web/webtest"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

func TestMain(m *testing.M) { os.Exit(webtest.Run(m)) }

// sinkScenario is a run on two built-in sinks (loopback), long enough for
// a test to watch it and stop it; extra is appended (policies).
func sinkScenario(name, rate, extra string) string {
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: %s}
run: {rate: %s, duration: 2m, concurrency: 200, seed: 7}
targets:
  - {name: eu, kind: sink, site_id: 1}
  - {name: us, kind: sink, site_id: 2}
traffic:
  pageviews: {min: 1, max: 3}
  pause: {min: 10ms, max: 50ms}
%s`, name, rate, extra)
}

// liveRun is a run with its live page, as apply --ui wires them: the
// page's Stop cancels the run's context (the first Ctrl-C), and the page
// shows the report once the run is over.
type liveRun struct {
	page    *livepage.Page
	url     string
	stopped chan struct{} // closed by the page's Stop
	done    chan struct{} // closed once the report is on the page
	rep     *report.Report
	err     error
}

// startLiveRun compiles yaml (env answers its ${VAR}s) and runs it with a
// live page on 127.0.0.1 that publishes every 100 ms.
func startLiveRun(t *testing.T, yaml string, env map[string]string) *liveRun {
	t.Helper()
	return startLiveRunEvery(t, yaml, env, 100*time.Millisecond, nil)
}

// startLiveRunEvery is startLiveRun with the page publishing every
// interval, showing wrap(source) when wrap is set.
func startLiveRunEvery(t *testing.T, yaml string, env map[string]string, interval time.Duration, wrap func(live.Source) live.Source) *liveRun {
	t.Helper()
	res := scenario.Load("live.yaml", []byte(yaml), scenario.Options{
		Lookup:      func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		CheckTarget: runner.CheckTarget,
	})
	if !res.Valid() {
		t.Fatalf("invalid scenario: %v", res.Diags)
	}
	p, err := runner.CompilePlan(res.Scenario, runner.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	lr := &liveRun{stopped: make(chan struct{}), done: make(chan struct{})}
	var once sync.Once
	page, err := livepage.Serve(livepage.Options{Addr: "127.0.0.1:0", Scenario: p.Name, Interval: interval,
		Stop: func() { once.Do(func() { close(lr.stopped); cancel() }) }})
	if err != nil {
		t.Fatal(err)
	}
	lr.page, lr.url = page, page.URL()
	go func() {
		defer close(lr.done)
		attach := page.Attach
		if wrap != nil {
			attach = func(src live.Source) { page.Attach(wrap(src)) }
		}
		lr.rep, lr.err = runner.Run(ctx, p, runner.Options{Live: attach, Grace: 2 * time.Second})
		page.Finish(lr.rep, lr.err)
	}()
	t.Cleanup(func() {
		cancel()
		<-lr.done
		_ = page.Close()
	})
	return lr
}

// wait waits for the run's end, at most limit.
func (lr *liveRun) wait(t *testing.T, limit time.Duration) {
	t.Helper()
	select {
	case <-lr.done:
	case <-time.After(limit):
		t.Fatalf("the run is still going after %s", limit)
	}
}

// get fetches a path of the page and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// csrfOf reads the CSRF token from the page's meta tag.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	_, after, ok := strings.Cut(page, `<meta name="csrf-token" content="`)
	if !ok {
		t.Fatal("the page has no csrf-token meta tag")
	}
	token, _, _ := strings.Cut(after, `"`)
	return token
}

// waitRunning reads the page's event stream until a state says the run
// is running with visits: a stop before that, during the preflight, ends
// the run without a report, as a Ctrl-C then.
func (lr *liveRun) waitRunning(t *testing.T) {
	t.Helper()
	states(t, lr.url, 15*time.Second, func(v livepage.View) bool { return v.Phase != "running" || v.Progress.Visits == 0 })
}
