package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planScenario is a one-second run against the built-in sink.
const planScenario = "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata:\n  name: reviewed\n" +
	"run:\n  rate: 5/s\n  duration: 1s\n  seed: 7\ntargets:\n  - name: a\n    kind: sink\n    site_id: 1\n"

// The acceptance of issue 16: plan --out, then apply --plan runs that
// plan; after an edit of the scenario it refuses with exit 2, before any
// traffic, and names the changed field.
func TestApplyPlanRunsTheReviewedPlan(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": planScenario})
	scen, planFile := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "plan.json")
	if code, _, stderr := runCLI(t, "plan", "--out", planFile, scen); code != exitOK || stderr != "" {
		t.Fatalf("plan --out: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "apply", "--plan", planFile, "--state", filepath.Join(dir, "journal"), "--format", "json")
	if code != exitOK || !strings.Contains(stdout, `"name": "reviewed"`) {
		t.Fatalf("apply --plan: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	// Moved, with a comment that shifts its lines: the same plan.
	moved := filepath.Join(dir, "moved.yaml")
	if err := os.WriteFile(moved, []byte("# reviewed in plan.json\n"+planScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "apply", "--plan", planFile, "--state", filepath.Join(dir, "journal1"), moved); code != exitOK {
		t.Fatalf("apply --plan of the moved scenario: exit %d\n%s", code, stderr)
	}

	if err := os.WriteFile(scen, []byte(strings.Replace(planScenario, "rate: 5/s", "rate: 10/s", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "apply", "--plan", planFile, "--state", filepath.Join(dir, "journal2"), scen)
	if code != exitUsage || stdout != "" {
		t.Fatalf("apply --plan after an edit: exit %d, want %d; stdout %q", code, exitUsage, stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	head := "trafficinator: --plan " + planFile + ": " + scen + " no longer compiles to the reviewed plan (digest sha256:"
	if !strings.HasPrefix(lines[0], head) || !strings.HasSuffix(lines[0], " field(s) differ:") {
		t.Errorf("first line %q, want it to start %q", lines[0], head)
	}
	if lines[1] != "  scenario.run.rate: 5/s in the plan, 10/s now" {
		t.Errorf("first change %q, want the scenario's rate", lines[1])
	}
	for _, want := range []string{"  stages[0].to_rate: 5 in the plan, 10 now", "  expected.visits: 5 in the plan, 10 now"} {
		if !strings.Contains(stderr, want+"\n") {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if lines[len(lines)-1] != "nothing was sent: review the new plan (plan --out) and apply that" {
		t.Errorf("last line %q", lines[len(lines)-1])
	}
	if _, err := os.Stat(filepath.Join(dir, "journal2")); !os.IsNotExist(err) {
		t.Errorf("a refused plan left a journal: %v", err)
	}
}

// A plan records its overrides: apply --plan takes none of its own.
func TestApplyPlanRefusesOverrides(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": planScenario})
	scen, planFile := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "plan.json")
	if code, _, stderr := runCLI(t, "plan", "--seed", "3", "--out", planFile, scen); code != exitOK {
		t.Fatalf("plan: exit %d, %s", code, stderr)
	}
	code, _, stderr := runCLI(t, "apply", "--plan", planFile, "--seed", "3")
	want := "trafficinator: --seed cannot be combined with --plan: the plan records what it was made with (run plan --seed … --out again)\n"
	if code != exitUsage || stderr != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, exitUsage, want)
	}
}

// The overrides of plan go with the plan: apply --plan of a plan made
// with --max-visits 2 sends 2 visits.
func TestApplyPlanKeepsTheOverrides(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": planScenario})
	scen, planFile := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "plan.json")
	if code, _, stderr := runCLI(t, "plan", "--max-visits", "2", "--out", planFile, scen); code != exitOK {
		t.Fatalf("plan: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "apply", "--plan", planFile, "--state", filepath.Join(dir, "j"), "--format", "json")
	if code != exitOK {
		t.Fatalf("apply --plan: exit %d, %s", code, stderr)
	}
	var rep struct {
		Total struct {
			Counters struct {
				Visits int64 `json:"visits"`
			} `json:"counters"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Total.Counters.Visits != 2 {
		t.Errorf("visits %d (%v), want 2", rep.Total.Counters.Visits, err)
	}
}

// plan --out never overwrites its scenario.
func TestPlanOutIsNotTheScenario(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": planScenario})
	scen := filepath.Join(dir, "s.yaml")
	code, _, stderr := runCLI(t, "plan", "--out", scen, scen)
	if want := "trafficinator: --out " + scen + " is the scenario itself; nothing was written\n"; code != exitUsage || stderr != want {
		t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, exitUsage, want)
	}
	if data, _ := os.ReadFile(scen); string(data) != planScenario {
		t.Errorf("the scenario was overwritten:\n%s", data)
	}
}

// A file that is not a plan is refused with exit 2 and says why.
func TestApplyPlanNotAPlan(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": planScenario, "report.json": `{"version": "trafficinator.report/v3"}`,
		"bad.json": `{"apiVersion": "trafficinator/v1", "kind": "Plan", "digest": "x"}`})
	for name, want := range map[string]string{
		"report.json":  "not a plan: apiVersion (none) and kind (none), want trafficinator/v1 and Plan (write one with plan --out)",
		"bad.json":     `not a valid plan: /: missing required field "concurrency"` + "\n",
		"missing.json": "open ",
	} {
		path := filepath.Join(dir, name)
		code, _, stderr := runCLI(t, "apply", "--plan", path, filepath.Join(dir, "s.yaml"))
		if code != exitUsage || !strings.HasPrefix(stderr, "trafficinator: --plan "+path+": "+want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", name, code, stderr, exitUsage, want)
		}
	}
}

// plan prints a warning once: the scenario's checks and the compiler both
// know that geo is off for a target without a token.
func TestPlanPrintsEachWarningOnce(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": scenarioHead + "targets:\n  - name: a\n    url: http://127.0.0.1:9/matomo.php\n    site_id: 1\n" +
		// b can honour geo, so a's missing token is a warning, not an error.
		"  - name: b\n    url: http://127.0.0.1:9/matomo.php\n    site_id: 2\n    token_auth: 0123456789abcdef0123456789abcdef\n" +
		"traffic:\n  features:\n    geo: true\n"})
	code, stdout, stderr := runCLI(t, "plan", filepath.Join(dir, "s.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const msg = `target "a" has no token_auth: geo (cip) is turned off for it`
	if n := strings.Count(stdout+stderr, msg); n != 1 {
		t.Errorf("the warning is printed %d times, want once:\nstdout %s\nstderr %s", n, stdout, stderr)
	}
}
