package runner

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

// closedPort returns a 127.0.0.1 URL with nothing listening: the port of
// a listener the test opened and closed again.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr + "/matomo.php"
}

// oneUpThreeDown compiles a scenario with one sink that answers and three
// closed ports; optional marks the three closed ones.
func oneUpThreeDown(t *testing.T, optional bool, policies string) (*plan.Plan, *targets.Sink) {
	t.Helper()
	s, err := targets.NewSink(targets.SinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: { name: down }\n"+
		"run: { rate: 20/s, duration: 1s, seed: 3 }\ntraffic: { pageviews: { min: 1, max: 1 }, pause: { min: 0s, max: 0s } }\n"+
		"targets:\n  - { name: up, url: %q, site_id: 1 }\n", srv.URL+"/matomo.php")
	for _, name := range []string{"down1", "down2", "down3"} {
		fmt.Fprintf(&b, "  - { name: %s, url: %q, site_id: 1, optional: %v }\n", name, closedPort(t), optional)
	}
	b.WriteString(policies)
	res := scenario.Load("down.yaml", []byte(b.String()), scenario.Options{})
	if !res.Valid() {
		t.Fatal(res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, s
}

// Three required targets down: the run does not start, names them, and
// the target that answered got nothing but the preflight.
func TestRequiredTargetDownStopsTheRun(t *testing.T) {
	p, s := oneUpThreeDown(t, false, "")
	rep, err := Run(context.Background(), p, Options{})
	var re *RequiredTargetError
	if rep != nil || !errors.As(err, &re) || len(re.Failed) != 3 {
		t.Fatalf("Run: report %v, err %v; want a RequiredTargetError for 3 targets", rep != nil, err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "targets down1 (tracking endpoint unreachable: ") ||
		!strings.HasSuffix(msg, " failed the preflight; nothing was sent (mark a target optional: true to run without it)") ||
		!strings.Contains(msg, ", down3 (") {
		t.Errorf("message %q", msg)
	}
	// The preflight's one request (no rec=1: never recorded), nothing else.
	if st := s.Stats(); st.Requests != 1 || st.Recorded != 0 {
		t.Errorf("the reachable target got %d requests (%d hits recorded), want the preflight's only", st.Requests, st.Recorded)
	}
}

// The same three marked optional: the run goes on with the one that
// answers, warns about each, and a policy can read optional_unavailable.
func TestOptionalTargetsDownWarnAndCount(t *testing.T) {
	p, s := oneUpThreeDown(t, true, "policies:\n  - { name: all-up, when: optional_unavailable > 2, action: fail }\n")
	var logs []string
	// The grace lets the visits in flight at the end of the second finish:
	// without one, a request cut off on the wire counts unknown (and the
	// sink may have recorded it), which is not what this test is about.
	rep, err := Run(context.Background(), p, Options{Grace: 10 * time.Second, Logf: func(f string, a ...any) { logs = append(logs, fmt.Sprintf(f, a...)) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 3 || !strings.HasPrefix(rep.Warnings[0], "optional target down1 failed the preflight (tracking endpoint unreachable: ") ||
		!strings.HasSuffix(rep.Warnings[2], ") and was left out of the run; its share went to the other targets") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	for _, row := range rep.Preflight[1:] {
		if row.Reachable || !row.Optional {
			t.Errorf("preflight row %+v", row)
		}
	}
	for _, tg := range rep.Targets[1:] {
		if tg.Disabled == nil || !strings.HasPrefix(tg.Disabled.Reason, "preflight (optional target): ") || tg.Counters.Requests != 0 {
			t.Errorf("target %s: disabled %+v, %d requests", tg.Name, tg.Disabled, tg.Counters.Requests)
		}
	}
	up := rep.Targets[0].Counters
	if up.Hits == 0 || up.OK != up.Hits || s.Stats().Recorded != up.OK {
		t.Errorf("target up: %d hits, %d ok, sink recorded %d", up.Hits, up.OK, s.Stats().Recorded)
	}
	if rep.Run.ExitCode != 1 || len(rep.Policies) != 1 || rep.Policies[0].Values["optional_unavailable"] != 3 {
		t.Errorf("exit %d, firings %+v", rep.Run.ExitCode, rep.Policies)
	}
}

// Every target optional and every one down: nothing to run on.
func TestAllOptionalTargetsDown(t *testing.T) {
	res := scenario.Load("p.yaml", []byte(fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: nowhere }
run: { rate: 5/s, duration: 1s }
targets:
  - { name: closed, url: %q, site_id: 1, optional: true }
`, closedPort(t))), scenario.Options{})
	if !res.Valid() {
		t.Fatal(res.Diags)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []report.PreflightRow
	if _, err := Run(context.Background(), p, Options{OnPreflight: func(r []report.PreflightRow) { rows = r }}); err != ErrNoTarget {
		t.Fatalf("Run: %v, want ErrNoTarget", err)
	}
	if len(rows) != 1 || rows[0].Reachable || !rows[0].Optional {
		t.Fatalf("rows %+v", rows)
	}
}
