package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/report"
)

// verifyFixture writes the scenario of passingScenario and the testdata
// report changed by change; it returns their paths.
func verifyFixture(t *testing.T, change func(r *report.Report)) (dir, scenarioPath, reportPath string) {
	dir = tree(t, map[string]string{"formats.yaml": passingScenario})
	reportPath = reportVariant(t, dir, "run.json", func(r *report.Report) {
		r.Run.Outcome, r.Run.ExitCode = "passed", 0
		r.Policies, r.PoliciesDefined = nil, nil
		change(r)
	})
	return dir, filepath.Join(dir, "formats.yaml"), reportPath
}

func TestVerifyUsageErrors(t *testing.T) {
	dir, scen, rep := verifyFixture(t, func(*report.Report) {})
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":"trafficinator.baseline/v0","targets":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"verify"}, "trafficinator: verify needs exactly one REPORT.json (or --scenario FILE --save-baseline FILE)\n"},
		{[]string{"verify", rep, rep}, "trafficinator: verify needs exactly one REPORT.json (or --scenario FILE --save-baseline FILE)\n"},
		{[]string{"verify", rep, "--wait", "-1s"}, "trafficinator: --wait and --sample cannot be negative\n"},
		{[]string{"verify", rep, "--sample", "-3"}, "trafficinator: --wait and --sample cannot be negative\n"},
		{[]string{"verify", rep, "--format", "xml"}, "trafficinator: unknown --format \"xml\" (want table, json or junit)\n"},
		{[]string{"verify", filepath.Join(dir, "none.json")}, "trafficinator: cannot read report: open " + filepath.Join(dir, "none.json") + ": no such file or directory\n"},
		{[]string{"verify", rep, "--scenario", scen, "--baseline", bad}, "trafficinator: --baseline " + bad + `: baseline version "trafficinator.baseline/v0": this build reads trafficinator.baseline/v1 (write it again with verify --save-baseline)` + "\n"},
		{[]string{"verify", rep, "--scenario", scen, "--out", scen}, "trafficinator: --out " + scen + " is the scenario file " + scen + ": refusing to overwrite an input, write the output elsewhere\n"},
		{[]string{"verify", "--save-baseline", filepath.Join(dir, "b.json")}, "trafficinator: --save-baseline needs --scenario FILE and no REPORT\n"},
		{[]string{"verify", rep, "--scenario", scen, "--save-baseline", filepath.Join(dir, "b.json")}, "trafficinator: --save-baseline needs --scenario FILE and no REPORT\n"},
		{[]string{"verify", "--scenario", scen, "--save-baseline", filepath.Join(dir, "b.json"), "--out", "x.json"}, "trafficinator: --save-baseline writes a baseline: --baseline and --out belong to the verification after the run\n"},
		{[]string{"verify", "--scenario", scen, "--save-baseline", scen}, "trafficinator: --save-baseline " + scen + " is the scenario file " + scen + ": refusing to overwrite an input, write the output elsewhere\n"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitUsage || stdout != "" || stderr != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q\nwant 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// Targets verification cannot read are skipped with their reason, never
// passed silently; with no policy on verification figures that is not a
// failure (exit 0), with one it is (exit 1).
func TestVerifySkipsAndPoliciesFire(t *testing.T) {
	_, scen, rep := verifyFixture(t, func(*report.Report) {})
	code, stdout, stderr := runCLI(t, "verify", rep, "--scenario", scen)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"Verification: SKIPPED (2 skipped); 0 sampled visits checked, 0 recorded otherwise",
		"│ a      │ skipped │                 │                 │       │ 0       │ 0          │ kind sink: its Reporting API lived only during the run; use apply --verify │",
		"│ b      │ skipped │                 │                 │       │ 0       │ 0          │ the scenario has no target b",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "warning: "+scen+" changed since the run") {
		t.Errorf("stderr %q", stderr)
	}
	_, scen, rep = verifyFixture(t, func(r *report.Report) {
		r.PoliciesDefined = []report.PolicyDef{{Name: "recorded", Scope: "target", When: "recorded_ratio < 0.99", Action: "fail", Line: 12}}
	})
	code, stdout, _ = runCLI(t, "verify", rep, "--scenario", scen)
	if code != 1 || !strings.Contains(stdout, "Outcome: FAILED; exit code 1") ||
		strings.Count(stdout, "the expression could not be evaluated (verification skipped:") != 2 {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// A run that failed stays failed: verify's exit code is the run's, made
// worse by verification, never better.
func TestVerifyKeepsAFailedRun(t *testing.T) {
	_, scen, rep := verifyFixture(t, func(r *report.Report) { r.Run.Outcome, r.Run.ExitCode = "failed", 1 })
	if code, _, stderr := runCLI(t, "verify", rep, "--scenario", scen); code != 1 {
		t.Errorf("exit %d %s", code, stderr)
	}
}

// --out may be the report itself: it is then the verified report.
func TestVerifyOutUpdatesTheReport(t *testing.T) {
	_, scen, rep := verifyFixture(t, func(*report.Report) {})
	code, _, stderr := runCLI(t, "verify", rep, "--scenario", scen, "--out", rep, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, stderr)
	}
	data, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Decode(data)
	if err != nil || r.Verification == nil || r.Verification.Status != report.VerifySkipped || r.Targets[0].Verification.Status != report.VerifySkipped {
		t.Errorf("%v %+v", err, r.Verification)
	}
}

// --save-baseline writes a baseline file even when no target can be read,
// naming why on stderr.
func TestVerifySaveBaseline(t *testing.T) {
	dir, scen, _ := verifyFixture(t, func(*report.Report) {})
	path := filepath.Join(dir, "base.json")
	code, stdout, stderr := runCLI(t, "verify", "--scenario", scen, "--save-baseline", path)
	if code != exitOK || stdout != "" || stderr != "warning: target a: no baseline: kind sink: its Reporting API lived only during the run; use apply --verify\n" {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	b, err := runner.ReadBaselineFile(path)
	if err != nil || len(b.Targets) != 1 || b.Targets[0].Target != "a" || b.Targets[0].SiteID != 1 {
		t.Errorf("%v %+v", err, b)
	}
}

func TestApplyVerifyFlagErrors(t *testing.T) {
	dir := tree(t, map[string]string{"formats.yaml": passingScenario})
	scen := filepath.Join(dir, "formats.yaml")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"apply", scen, "--verify-wait", "5s"}, "trafficinator: --verify-wait needs --verify\n"},
		{[]string{"apply", scen, "--verify-sample", "5"}, "trafficinator: --verify-sample needs --verify\n"},
		{[]string{"apply", scen, "--verify", "--verify-sample", "-1"}, "trafficinator: --verify-wait and --verify-sample cannot be negative\n"},
		{[]string{"apply", scen, "--verify", "--verify-wait", "-1s"}, "trafficinator: --verify-wait and --verify-sample cannot be negative\n"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitUsage || stdout != "" || stderr != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q\nwant 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// apply --verify verifies before the sink closes, and the report shows
// the Verification block.
func TestApplyVerifyShowsVerification(t *testing.T) {
	dir := tree(t, map[string]string{"formats.yaml": passingScenario})
	out := filepath.Join(dir, "run.json")
	code, stdout, stderr := runCLI(t, "apply", filepath.Join(dir, "formats.yaml"), "--verify", "--out", out)
	if code != exitOK || !strings.Contains(stdout, "\nVerification: ") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Decode(data)
	if err != nil || r.Verification == nil || r.Targets[0].Verification == nil {
		t.Errorf("%v: the report has no verification", err)
	}
}
