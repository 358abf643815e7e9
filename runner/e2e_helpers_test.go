package runner_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// testToken is the token_auth of the test targets. It is long enough for
// the sink to scrub it from its examples.
const testToken = "0123456789abcdef0123456789abcdef"

// scenarioSpec fills scenarioYAML; zero values take the defaults noted.
type scenarioSpec struct {
	URL         string
	Token       string // "" leaves token_auth out
	Bulk        int
	Rate        string // default 1000/s
	Duration    string // "" leaves run.duration out
	MaxVisits   int    // 0 leaves run.max_visits out
	Concurrency int    // default 200
	Pageviews   [2]int // default 1..6
	Pause       [2]string
	Geo         bool
	Features    string // replaces the features block when set
}

// scenarioYAML writes a realtime scenario with one kind: matomo target.
// By default every action is likely, so that a few thousand visits hold
// thousands of each kind of hit.
func scenarioYAML(s scenarioSpec) string {
	if s.Rate == "" {
		s.Rate = "1000/s"
	}
	if s.Concurrency == 0 {
		s.Concurrency = 200
	}
	if s.Pageviews == [2]int{} {
		s.Pageviews = [2]int{1, 6}
	}
	if s.Pause == [2]string{} {
		s.Pause = [2]string{"0s", "0s"}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: {name: e2e}\nrun:\n  rate: %s\n  concurrency: %d\n  seed: 7\n", s.Rate, s.Concurrency)
	if s.Duration != "" {
		fmt.Fprintf(&b, "  duration: %s\n", s.Duration)
	}
	if s.MaxVisits > 0 {
		fmt.Fprintf(&b, "  max_visits: %d\n", s.MaxVisits)
	}
	fmt.Fprintf(&b, "targets:\n  - name: m\n    kind: matomo\n    url: %s\n    site_id: 1\n", s.URL)
	if s.Token != "" {
		fmt.Fprintf(&b, "    token_auth: %s\n", s.Token)
	}
	if s.Bulk > 0 {
		fmt.Fprintf(&b, "    bulk: %d\n", s.Bulk)
	}
	fmt.Fprintf(&b, "traffic:\n  pageviews: {min: %d, max: %d}\n  pause: {min: %s, max: %s}\n  visit_duration: {min: 30s, max: 20m}\n",
		s.Pageviews[0], s.Pageviews[1], s.Pause[0], s.Pause[1])
	features := s.Features
	if features == "" {
		features = `    site_search: {probability: 0.5}
    outlinks: {probability: 0.5}
    downloads: {probability: 0.5}
    click_events: {probability: 0.5}
    random_events: {probability: 0.5}
    ecommerce: {probability: 0.4}
`
		if s.Geo {
			features += "    geo: true\n"
		}
	}
	b.WriteString("  features:\n" + features)
	return b.String()
}

// startSink starts a capturing sink or fails the test.
func startSink(t testing.TB, cfg loadtest.SinkConfig) *loadtest.Sink {
	t.Helper()
	s, err := loadtest.StartSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// compile compiles an inline scenario or fails the test.
func compile(t testing.TB, yaml string) *plan.Plan {
	t.Helper()
	p, err := loadtest.Compile(yaml, plan.Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml)
	}
	return p
}

// logLines collects Logf output.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// run runs p with a fixed run id and collects its log lines. The preflight
// is skipped: its request (no rec=1) is not a hit of any visit.
func run(t testing.TB, ctx context.Context, p *plan.Plan, grace time.Duration) (*report.Report, *logLines) {
	t.Helper()
	logs := &logLines{}
	rep, err := runner.Run(ctx, p, runner.Options{RunID: "e2etest", Grace: grace, Logf: logs.logf, NoPreflight: true})
	if err != nil {
		t.Fatal(err)
	}
	return rep, logs
}
