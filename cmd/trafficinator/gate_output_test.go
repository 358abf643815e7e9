package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
)

// The JUnit document and the annotations are built and tested in
// runner/report (junit_test.go); these tests cover apply's wiring: the
// --junit flag and GitHub Actions.

// gateReport is a failed run of scenario "shop": its fail policy p95
// fired once, for target eu. (runner/report's tests cover the document
// itself with a richer run.)
func gateReport() *report.Report {
	at := time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)
	return &report.Report{
		Version:         report.Version,
		Scenario:        report.ScenarioInfo{Name: "shop", File: "ci/shop.yaml", Digest: "sha256:" + strings.Repeat("0", 64)},
		Run:             report.RunInfo{ID: "r1", Start: at, DurationS: 60, StopReason: "completed", Outcome: "failed", ExitCode: 1},
		Targets:         []report.Target{{Name: "eu"}},
		PoliciesDefined: []report.PolicyDef{{Name: "p95", Scope: "target", When: "p95_ms > 250", Action: "fail", Line: 30}},
		Policies: []runner.PolicyFiring{{Policy: "p95", Scope: "target", Target: "eu", Action: "fail", When: "p95_ms > 250", Line: 30,
			At: at, ElapsedS: 31, Phase: "live", Values: map[string]float64{"p95_ms": 312.5}, Effect: "the run fails (exit code 1)"}},
	}
}

// junitSuites decodes what the junit format writes, for assertions (the
// writer's own types are runner/report's, unexported).
type junitSuites struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Suites   []struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitCase struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	Skipped   *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
	Failure *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
	} `xml:"failure"`
}

func parseJUnit(t *testing.T, data []byte) junitSuites {
	t.Helper()
	var s junitSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	return s
}

// writeGateOutputs writes the JUnit file when --junit is set and the
// annotations only under GitHub Actions.
func TestWriteGateOutputs(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (string, error) {
		var errOut bytes.Buffer
		var gateErr error
		app := &cli.App{Name: "t", ErrWriter: &errOut, Writer: &bytes.Buffer{}, Flags: []cli.Flag{junitFlag()},
			Action: func(c *cli.Context) error { gateErr = writeGateOutputs(c, gateReport()); return nil }}
		if err := app.Run(append([]string{"t"}, args...)); err != nil {
			t.Fatal(err)
		}
		return errOut.String(), gateErr
	}
	t.Setenv("GITHUB_ACTIONS", "")
	if out, err := run(); out != "" || err != nil {
		t.Errorf("outside GitHub Actions: %q %v", out, err)
	}
	t.Setenv("GITHUB_ACTIONS", "true")
	path := filepath.Join(dir, "j.xml")
	out, err := run("--junit", path)
	if err != nil || !strings.HasPrefix(out, "::error file=ci/shop.yaml,line=30,col=1::policy p95 fired") {
		t.Errorf("under GitHub Actions: %q %v", out, err)
	}
	if data, err := os.ReadFile(path); err != nil || parseJUnit(t, data).Failures != 1 {
		t.Errorf("junit file: %v", err)
	}
	t.Setenv("GITHUB_ACTIONS", "")
	_, err = run("--junit", filepath.Join(dir, "no", "such", "dir", "j.xml"))
	if err == nil || !strings.HasPrefix(err.Error(), "writing "+filepath.Join(dir, "no", "such", "dir", "j.xml")+": ") {
		t.Errorf("unwritable --junit: %v", err)
	}
}

// A real failing run (apply --junit): the file is JUnit XML with one
// failure per fired fail or abort (policy, target) pair.
func TestApplyJUnitOfAFailingRun(t *testing.T) {
	_, reportPath, junitPath := applyToFile(t)
	data, err := os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, data)
	raw, _ := os.ReadFile(reportPath)
	rep, err := report.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]bool{}
	for _, f := range rep.Policies {
		if f.Action == "fail" || f.Action == "abort" {
			pairs[f.Policy+"/"+f.Target] = true
		}
	}
	var failed []string
	for _, c := range s.Suites[0].Cases {
		if c.Failure != nil {
			failed = append(failed, c.Classname+"/"+c.Name)
		}
	}
	// The latency policy fires for both targets; nothing else fails.
	if len(pairs) != 2 || s.Failures != 2 || strings.Join(failed, " ") != "gate.a/latency gate.b/latency" {
		t.Errorf("failures %v (%d), fired pairs %v", failed, s.Failures, pairs)
	}
	if s.Suites[0].Tests != 5 { // any-hit, latency×2, huge, run
		t.Errorf("%d test cases", s.Suites[0].Tests)
	}
}
