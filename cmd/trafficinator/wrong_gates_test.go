package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
)

// Exit-code tests for items 5 and 7 of issue 12's "What is wrong today":
// gates that passed when they should not, and the policy expression that
// crashed validate.

// gateClosedURL is a 127.0.0.1 tracking URL with nothing listening.
func gateClosedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr + "/matomo.php"
}

// gateSink serves a Matomo-conformant sink on 127.0.0.1 and returns its
// tracking URL.
func gateSink(t *testing.T) (string, *targets.Sink) {
	t.Helper()
	s, err := targets.NewSink(targets.SinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/matomo.php", s
}

// gateScenario has one target that answers and three closed ports,
// optional or not, and the given policies.
func gateScenario(t *testing.T, up string, down []string, optional bool, policies string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: { name: gates }\n" +
		"run: { rate: 20/s, duration: 1s, seed: 4 }\n" +
		"traffic: { pageviews: { min: 1, max: 2 }, pause: { min: 0s, max: 5ms } }\n")
	fmt.Fprintf(&b, "targets:\n  - { name: up, url: %q, site_id: 1 }\n", up)
	for i, u := range down {
		fmt.Fprintf(&b, "  - { name: down%d, url: %q, site_id: 1, optional: %v }\n", i+1, u, optional)
	}
	b.WriteString(policies)
	dir := tree(t, map[string]string{"gates.yaml": b.String()})
	return filepath.Join(dir, "gates.yaml")
}

func decodeGateReport(t *testing.T, s string) *report.Report {
	t.Helper()
	r, err := report.Decode([]byte(s))
	if err != nil {
		t.Fatalf("report: %v\n%s", err, s)
	}
	return r
}

// 5a. With 3 of 4 targets unreachable the run said PASSED and exited 0.
// Now it does not start (exit 3) and sends nothing; marked optional, the
// three are left out with a warning and a policy can read how many.
func TestWrong5PreflightFailurePasses(t *testing.T) {
	up, s := gateSink(t)
	down := []string{gateClosedURL(t), gateClosedURL(t), gateClosedURL(t)}

	code, stdout, stderr := runCLI(t, "apply", gateScenario(t, up, down, false, ""))
	if code != exitNoStart || stdout != "" {
		t.Fatalf("required targets down: exit %d, want %d; stdout %q\n%s", code, exitNoStart, stdout, stderr)
	}
	want := "trafficinator: the run could not start: targets down1 (tracking endpoint unreachable: "
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "), down3 (tracking endpoint unreachable: ") ||
		!strings.Contains(stderr, " failed the preflight; nothing was sent (mark a target optional: true to run without it)\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if st := s.Stats(); st.Requests != 1 || st.Recorded != 0 {
		t.Errorf("the target that answered got %d requests, %d hits recorded; want the preflight only", st.Requests, st.Recorded)
	}

	// Optional: the run goes on, passes, and says what it left out.
	code, stdout, stderr = runCLI(t, "apply", gateScenario(t, up, down, true, ""))
	if code != exitOK {
		t.Fatalf("optional targets down: exit %d, want 0\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Outcome: PASSED") || strings.Count(stdout, "WARNING: optional target down") != 3 ||
		!strings.Contains(stdout, "WARNING: optional target down2 failed the preflight (tracking endpoint unreachable: ") {
		t.Errorf("table without the warnings:\n%s", stdout)
	}
	if strings.Count(stderr, "NO (optional: left out)") != 3 || strings.Count(stderr, "warning: optional target down") != 3 {
		t.Errorf("preflight table and log:\n%s", stderr)
	}
	recorded := s.Stats().Recorded
	if recorded == 0 {
		t.Errorf("the target that answered recorded nothing")
	}

	// A policy reads optional_unavailable and fails the run: JSON names it.
	pol := "policies:\n  - { name: mirrors-up, when: optional_unavailable > 0, action: fail }\n"
	code, stdout, stderr = runCLI(t, "apply", gateScenario(t, up, down, true, pol), "--format", "json")
	if code != 1 {
		t.Fatalf("policy on optional_unavailable: exit %d, want 1\n%s", code, stderr)
	}
	r := decodeGateReport(t, stdout)
	if len(r.Warnings) != 3 || len(r.Policies) != 1 || r.Policies[0].Policy != "mirrors-up" ||
		r.Policies[0].Values["optional_unavailable"] != 3 || r.Run.Outcome != "failed" {
		t.Errorf("warnings %q firings %+v outcome %s", r.Warnings, r.Policies, r.Run.Outcome)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil || len(raw["warnings"].([]any)) != 3 {
		t.Errorf("JSON warnings: %v %v", raw["warnings"], err)
	}
}

// 5b. A policy whose expression errored at run time counted as false, so
// its fail gate never fired. The reported case (10 % errors with no
// error) is now refused before the run; what only the run can find fails
// it, naming the policy and the error.
func TestWrong5PolicyRuntimeErrorIsFalse(t *testing.T) {
	head := "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: { name: broken-gate }\n" +
		"run: { rate: 20/s, duration: 1s, seed: 4 }\n" +
		"traffic: { pageviews: { min: 1, max: 2 }, pause: { min: 0s, max: 5ms } }\n" +
		"targets:\n  - { name: a, kind: sink, site_id: 1 }\npolicies:\n"
	dir := tree(t, map[string]string{
		"mod.yaml":    head + "  - name: mod\n    when: 10 % errors == 1\n    action: fail\n",
		"budget.yaml": head + "  - name: budget\n    when: len(1..(hits * 1000000)) > 0\n    action: fail\n",
	})
	mod := filepath.Join(dir, "mod.yaml")
	code, stdout, stderr := runCLI(t, "apply", mod)
	if code != exitUsage || stdout != "" ||
		!strings.Contains(stderr, mod+":10:16: error: invalid expression: modulo by errors, which can be 0 (it is before the first request): guard it") {
		t.Errorf("apply 10 %% errors: exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	if code, _, _ := runCLI(t, "validate", mod); code != exitInvalid {
		t.Errorf("validate 10 %% errors: exit %d, want %d", code, exitInvalid)
	}

	code, stdout, stderr = runCLI(t, "apply", filepath.Join(dir, "budget.yaml"), "--format", "json")
	if code != 1 {
		t.Fatalf("runtime error: exit %d, want 1\n%s", code, stderr)
	}
	const wantErr = "memory budget exceeded (1:6)"
	if !strings.Contains(stderr, `policy "budget" (line 9) could not be evaluated: `+wantErr+"; it fires as fail") {
		t.Errorf("no log line naming the policy and the error:\n%s", stderr)
	}
	r := decodeGateReport(t, stdout)
	if r.Run.Outcome != "failed" || len(r.Policies) != 1 || r.Policies[0].Policy != "budget" || r.Policies[0].Error != wantErr ||
		r.Policies[0].Effect != "the expression could not be evaluated ("+wantErr+"): the run fails (exit code 1)" {
		t.Errorf("outcome %s firings %+v", r.Run.Outcome, r.Policies)
	}
}

// 5c. report merge a.json a.json doubled every count and exited 0. Now
// it is refused (exit 2, usage: the inputs cannot be merged), and so is a
// merged report together with one of its own parts.
func TestWrong5MergeSameReportTwice(t *testing.T) {
	dir, a, _ := applyToFile(t)
	code, stdout, stderr := runWithReport(t, "report", "merge", a, a)
	want := "trafficinator: cannot merge: " + a + " is given twice (run "
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, want) ||
		!strings.HasSuffix(stderr, "): each run is merged once, or its counts would be doubled\n") {
		t.Fatalf("merge a a: exit %d, want %d; stdout %q stderr %q", code, exitUsage, stdout, stderr)
	}

	// Two different runs merge; the merge plus one of its runs does not.
	data, _ := os.ReadFile(a)
	other := decodeGateReport(t, string(data))
	other.Run.ID = "second-run"
	b := filepath.Join(dir, "b.json")
	if err := report.WriteJSONFile(b, other); err != nil {
		t.Fatal(err)
	}
	ab := filepath.Join(dir, "ab.json")
	if code, _, stderr := runWithReport(t, "report", "merge", a, b, "--out", ab); code != 1 {
		t.Fatalf("merge a b: exit %d (the parts failed live, so 1)\n%s", code, stderr)
	}
	code, stdout, stderr = runWithReport(t, "report", "merge", ab, b)
	if code != exitUsage || stdout != "" || stderr != "trafficinator: cannot merge: "+ab+" and "+b+
		" both hold run second-run: each run is merged once, or its counts would be doubled\n" {
		t.Errorf("merge ab b: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// 7. A deeply nested policy expression crashed validate with a stack
// overflow. Now it is an error at its line and column, in every command.
func TestWrong7DeeplyNestedExpressionCrashesValidate(t *testing.T) {
	head := "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata: { name: deep }\n" +
		"run: { rate: 1/s, duration: 1m }\ntargets:\n  - { name: a, kind: sink, site_id: 1 }\npolicies:\n  - name: deep\n    when: "
	deep := func(n int) string { return strings.Repeat("(", n) + "errors > 0" + strings.Repeat(")", n) }
	dir := tree(t, map[string]string{
		"million.yaml": head + deep(1000000) + "\n    action: fail\n",
		"forty.yaml":   head + deep(40) + "\n    action: fail\n",
	})
	cases := []struct{ file, at string }{
		{"million.yaml", ":9:2011: error: invalid expression: expression is longer than 2000 characters (it has 2000010)"},
		{"forty.yaml", ":9:43: error: invalid expression: expression nests deeper than 32 levels of brackets"},
	}
	for _, tc := range cases {
		path := filepath.Join(dir, tc.file)
		code, stdout, stderr := runCLI(t, "validate", path)
		if code != exitInvalid || !strings.HasPrefix(stdout+stderr, path+tc.at) {
			t.Errorf("validate %s: exit %d, want %d; output starts %.200q", tc.file, code, exitInvalid, stdout+stderr)
		}
		code, stdout, stderr = runCLI(t, "plan", path)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, path+tc.at) {
			t.Errorf("plan %s: exit %d, want %d; stderr starts %.200q", tc.file, code, exitUsage, stderr)
		}
	}
}
