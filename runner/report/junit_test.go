package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
)

// gateReport is a failed run of scenario "shop" with two targets: a fail
// policy that fired twice for eu (live and at the end) and never for us,
// a warn on the run, a disable_target for us and an abort that never
// fired.
func gateReport() *Report {
	at := time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)
	return &Report{
		Version:  Version,
		Scenario: ScenarioInfo{Name: "shop", File: "ci/shop.yaml", Digest: "sha256:" + strings.Repeat("0", 64)},
		Run: RunInfo{ID: "r1", Seed: 7, Start: at.Add(-30 * time.Second), DurationS: 61.5, StopReason: "completed",
			Outcome: "failed", ExitCode: 1},
		Targets: []Target{{Name: "eu"}, {Name: "us"}},
		PoliciesDefined: []PolicyDef{
			{Name: "p95", Scope: "target", When: "p95_ms > 250", Action: "fail", Line: 30},
			{Name: "errors", Scope: "run", When: "error_rate > 0.05", Action: "warn", Line: 34},
			{Name: "flaky", Scope: "target", Targets: []string{"us"}, When: "error_rate_over(\"1m\") > 0.5", Action: "disable_target", Line: 38},
			{Name: "outage", Scope: "run", When: "failed > 1000", Action: "abort", Line: 42},
		},
		Policies: []gates.Firing{
			{Policy: "flaky", Scope: "target", Target: "us", Action: "disable_target", When: "error_rate_over(\"1m\") > 0.5", Line: 38,
				At: at, ElapsedS: 30, Phase: "live", Values: map[string]float64{}, Effect: "target us disabled; its share goes to the other targets"},
			{Policy: "p95", Scope: "target", Target: "eu", Action: "fail", When: "p95_ms > 250", Line: 30,
				At: at, ElapsedS: 31, Phase: "live", Values: map[string]float64{"p95_ms": 312.5}, Effect: "the run fails (exit code 1)"},
			{Policy: "p95", Scope: "target", Target: "eu", Action: "fail", When: "p95_ms > 250", Line: 30,
				At: at, ElapsedS: 61.5, Phase: "end", Values: map[string]float64{"p95_ms": 280}, Effect: "the run fails (exit code 1)"},
			{Policy: "errors", Scope: "run", Action: "warn", When: "error_rate > 0.05", Line: 34,
				At: at, ElapsedS: 61.5, Phase: "end", Values: map[string]float64{"error_rate": 0.0625}, Effect: "warning only"},
		},
	}
}

func parseJUnit(t *testing.T, data []byte) junitSuites {
	t.Helper()
	var s junitSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	return s
}

func TestJUnitOfAFailedRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := ReportFormats.WriteFile(path, "junit", gateReport()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<testsuites ")) {
		t.Errorf("header:\n%s", data)
	}
	s := parseJUnit(t, data)
	if len(s.Suites) != 1 || s.Tests != 6 || s.Failures != 1 || s.Name != "shop" || s.Time != "61.500" {
		t.Fatalf("testsuites %+v", s)
	}
	suite := s.Suites[0]
	if suite.Name != "shop" || suite.Tests != 6 || suite.Failures != 1 || suite.Time != "61.500" || suite.Timestamp != "2026-03-01T12:00:00" {
		t.Errorf("suite %+v", suite)
	}
	type row struct{ name, class, failType, failMsg, out string }
	var got []row
	for _, c := range suite.Cases {
		r := row{name: c.Name, class: c.Classname}
		if c.Failure != nil {
			r.failType, r.failMsg = c.Failure.Type, c.Failure.Message
		}
		if c.SystemOut != nil {
			r.out = c.SystemOut.Text
		}
		got = append(got, r)
	}
	want := []row{
		{"p95", "shop.eu", "fail", "policy p95 fired for target eu: p95_ms > 250 (p95_ms=312.5) — fired 2 times", ""},
		{"p95", "shop.us", "", "", ""},
		{"errors", "shop", "", "", "errors: error_rate > 0.05 fired at the end, over the whole run: error_rate=0.0625; warning only\n"},
		{"flaky", "shop.us", "", "", `flaky: error_rate_over("1m") > 0.5 fired at 30s: ; target us disabled; its share goes to the other targets` + "\n"},
		{"outage", "shop", "", "", ""},
		{"run", "shop", "", "", "failed (completed) after 61.5s, exit code 1: 0 visits, 0 hits, 0 errors, p95 0 ms\n"},
	}
	if len(got) != len(want) {
		t.Fatalf("cases %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("case %d\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	text := suite.Cases[0].Failure.Text
	if text != "p95: p95_ms > 250 fired at 31s: p95_ms=312.5; the run fails (exit code 1)\n"+
		"p95: p95_ms > 250 fired at the end, over the whole run: p95_ms=280; the run fails (exit code 1)\n" {
		t.Errorf("failure text %q", text)
	}
}

// Failures are the fired fail and abort pairs, one each; a run that
// failed for another reason fails the "run" case instead.
func TestJUnitFailureCounts(t *testing.T) {
	r := gateReport()
	r.Policies = append(r.Policies,
		gates.Firing{Policy: "outage", Scope: "run", Action: "abort", When: "failed > 1000", Line: 42, Phase: "live", Values: map[string]float64{"failed": 1001}},
		gates.Firing{Policy: "p95", Scope: "target", Target: "us", Action: "fail", When: "p95_ms > 250", Line: 30, Phase: "end", Values: map[string]float64{"p95_ms": 251}})
	s := parseJUnit(t, mustJUnit(t, r))
	var failed []string
	for _, c := range s.Suites[0].Cases {
		if c.Failure != nil {
			failed = append(failed, c.Classname+"/"+c.Name+"/"+c.Failure.Type)
		}
	}
	if strings.Join(failed, " ") != "shop.eu/p95/fail shop.us/p95/fail shop/outage/abort" || s.Failures != 3 {
		t.Errorf("failures %v (%d)", failed, s.Failures)
	}

	r = gateReport()
	r.Policies = nil
	r.Run.Outcome, r.Run.StopReason, r.Run.ExitCode = "aborted", "no_target", 1
	s = parseJUnit(t, mustJUnit(t, r))
	run := s.Suites[0].Cases[len(s.Suites[0].Cases)-1]
	if s.Failures != 1 || run.Name != "run" || run.Failure == nil || run.Failure.Type != "aborted" ||
		run.Failure.Message != "the run ended aborted (no_target) with exit code 1" {
		t.Errorf("run case %+v failures %d", run, s.Failures)
	}

	r.Run.Outcome, r.Run.StopReason, r.Run.ExitCode = "passed", "completed", 0
	if s := parseJUnit(t, mustJUnit(t, r)); s.Failures != 0 || s.Tests != 6 {
		t.Errorf("a passed run: %d failures of %d", s.Failures, s.Tests)
	}
}

func mustJUnit(t *testing.T, r *Report) []byte {
	t.Helper()
	b, err := junitXML(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Names and texts that XML cannot hold are replaced, not written raw.
func TestJUnitIsXMLWhateverTheNames(t *testing.T) {
	r := gateReport()
	r.Scenario.Name = "a<b>&\"c\x01"
	r.PoliciesDefined[0].When = "p95_ms > 250 ]]> \x00"
	s := parseJUnit(t, mustJUnit(t, r))
	if s.Suites[0].Name != "a<b>&\"c\uFFFD" || !strings.Contains(s.Suites[0].Cases[0].Failure.Text, "p95_ms > 250 ]]> \uFFFD") {
		t.Errorf("suite %q text %q", s.Suites[0].Name, s.Suites[0].Cases[0].Failure.Text)
	}
}

func TestAnnotations(t *testing.T) {
	var b bytes.Buffer
	_ = WriteAnnotations(&b, gateReport())
	want := "::error file=ci/shop.yaml,line=30,col=1::policy p95 fired for target eu: p95_ms > 250 (p95_ms=312.5) — fired 2 times\n" +
		"::warning file=ci/shop.yaml,line=34,col=1::policy errors fired: error_rate > 0.05 (error_rate=0.0625)\n" +
		"::warning file=ci/shop.yaml,line=38,col=1::policy flaky fired for target us: error_rate_over(\"1m\") > 0.5 ()\n"
	if b.String() != want {
		t.Errorf("annotations\n%s\nwant\n%s", b.String(), want)
	}

	// Workflow-command escaping: ',' and ':' in the file, '%' and newlines
	// in the message; a failure no policy explains is an error on the file.
	r := gateReport()
	r.Scenario.File = "dir,x/a:b.yaml"
	r.Policies = []gates.Firing{{Policy: "pct", Scope: "run", Action: "abort", When: "error_rate > 0.05 # 5%\n&& hits > 0", Line: 9,
		Values: map[string]float64{"error_rate": 0.1, "hits": 3}}}
	b.Reset()
	_ = WriteAnnotations(&b, r)
	want = "::error file=dir%2Cx/a%3Ab.yaml,line=9,col=1::policy pct fired: error_rate > 0.05 # 5%25%0A&& hits > 0 (error_rate=0.1 hits=3)\n"
	if b.String() != want {
		t.Errorf("escaped annotation\n%s\nwant\n%s", b.String(), want)
	}
	r.Policies = nil
	r.Run.Outcome, r.Run.StopReason, r.Run.ExitCode = "interrupted", "interrupted", 130
	b.Reset()
	_ = WriteAnnotations(&b, r)
	if b.String() != "::error file=dir%2Cx/a%3Ab.yaml::the run ended interrupted (interrupted) with exit code 130\n" {
		t.Errorf("unexplained failure: %q", b.String())
	}
}
