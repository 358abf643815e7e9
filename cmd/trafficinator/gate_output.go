package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

// The gate outputs turn a report's policy verdicts into what CI systems
// read besides the exit code: JUnit XML (--junit) and, under GitHub
// Actions, annotations on the policies' lines. docs/reports.md has the
// format.

// junitFlag is apply's --junit flag.
func junitFlag() cli.Flag {
	return &cli.StringFlag{Name: "junit", Usage: "also write the policy verdicts as JUnit XML to `FILE`"}
}

// writeGateOutputs writes the annotations (on stderr, stdout being the
// report) under GitHub Actions, and the JUnit file when --junit is set; it
// returns the error of that write.
func writeGateOutputs(c *cli.Context, rep *report.Report) error {
	if githubActions() {
		writeAnnotations(c.App.ErrWriter, rep)
	}
	if path := c.String("junit"); path != "" {
		return writeJUnit(path, rep)
	}
	return nil
}

// githubActions reports whether the process runs in a GitHub Actions job.
func githubActions() bool { return os.Getenv("GITHUB_ACTIONS") == "true" }

// verdict is one (policy, target) pair and its firings; target is "" for
// scope: run.
type verdict struct {
	policy, action, when, target string
	line                         int
	firings                      []runner.PolicyFiring
}

// failing reports whether the pair fails the run.
func (v *verdict) failing() bool {
	return len(v.firings) > 0 && (v.action == scenario.ActionFail || v.action == scenario.ActionAbort)
}

// verdicts lists every pair: each defined policy once for scope: run and
// once per target (its targets:, else all) for scope: target, then the
// pairs of firings that no definition covers (reports without
// policies_defined).
func verdicts(rep *report.Report) []*verdict {
	var out []*verdict
	index := map[string]*verdict{}
	add := func(v *verdict) {
		key := v.policy + "\x00" + v.target
		if index[key] == nil {
			index[key] = v
			out = append(out, v)
		}
	}
	for _, p := range rep.PoliciesDefined {
		if p.Scope != scenario.ScopeTarget {
			add(&verdict{policy: p.Name, action: p.Action, when: p.When, line: p.Line})
			continue
		}
		targets := p.Targets
		if len(targets) == 0 {
			for _, t := range rep.Targets {
				targets = append(targets, t.Name)
			}
		}
		for _, t := range targets {
			add(&verdict{policy: p.Name, action: p.Action, when: p.When, line: p.Line, target: t})
		}
	}
	for _, f := range rep.Policies {
		add(&verdict{policy: f.Policy, action: f.Action, when: f.When, line: f.Line, target: f.Target})
		v := index[f.Policy+"\x00"+f.Target]
		v.firings = append(v.firings, f)
	}
	return out
}

// firedMessage reads "policy NAME fired: WHEN (values)", naming the target
// for scope: target and the count when it fired more than once.
func (v *verdict) firedMessage() string {
	f := v.firings[0]
	who := "policy " + v.policy + " fired"
	if v.target != "" {
		who += " for target " + v.target
	}
	msg := fmt.Sprintf("%s: %s (%s)", who, v.when, valuesText(f.Values))
	if n := len(v.firings); n > 1 {
		msg += fmt.Sprintf(" — fired %d times", n)
	}
	return msg
}

// firingLines describes each firing: when, the values read, the effect.
func (v *verdict) firingLines() string {
	var b strings.Builder
	for _, f := range v.firings {
		at := fmt.Sprintf("at %.0fs", f.ElapsedS)
		if f.Phase == "end" {
			at = "at the end, over the whole run"
		}
		fmt.Fprintf(&b, "%s: %s fired %s: %s", v.policy, v.when, at, valuesText(f.Values))
		if f.Effect != "" {
			b.WriteString("; " + f.Effect)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func valuesText(values map[string]float64) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.FormatFloat(values[k], 'g', 4, 64))
	}
	return strings.Join(parts, " ")
}

// unexplainedFailure describes a failed run that no fail or abort policy
// explains (no target left, an interruption), or returns "".
func unexplainedFailure(rep *report.Report, vs []*verdict) string {
	if rep.Run.ExitCode == 0 {
		return ""
	}
	for _, v := range vs {
		if v.failing() {
			return ""
		}
	}
	msg := fmt.Sprintf("the run ended %s (%s) with exit code %d", rep.Run.Outcome, rep.Run.StopReason, rep.Run.ExitCode)
	if rep.Backfill != nil {
		// The backfill's built-in verdicts (docs/backfill.md#accounting).
		for _, v := range rep.Backfill.Verdicts {
			msg += "; " + v.Name + ": " + v.Message
		}
	}
	return msg
}

// writeAnnotations writes GitHub workflow commands: an error on the
// policy's line for each fired fail or abort pair, a warning for warn and
// disable_target, and an error on the scenario file for a failure no
// policy explains.
func writeAnnotations(w io.Writer, rep *report.Report) {
	vs := verdicts(rep)
	var l scenario.Diagnostics
	for _, v := range vs {
		if len(v.firings) == 0 {
			continue
		}
		sev := scenario.SeverityWarning
		if v.failing() {
			sev = scenario.SeverityError
		}
		l = append(l, scenario.Diagnostic{File: rep.Scenario.File, Line: v.line, Column: 1, Severity: sev, Message: v.firedMessage()})
	}
	if msg := unexplainedFailure(rep, vs); msg != "" {
		l = append(l, scenario.Diagnostic{File: rep.Scenario.File, Severity: scenario.SeverityError, Message: msg})
	}
	_ = scenario.WriteDiagnosticsGitHub(w, l)
}

// JUnit XML, in the form Jenkins, GitLab and the GitHub test reporters
// read: one suite per run, one test case per (policy, target) pair plus
// one for the run itself.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// Texts go in CDATA sections: as character data, encoding/xml would
// write every newline as &#xA;.
type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// xmlText replaces what XML 1.0 cannot hold (control characters, in a
// policy name say) with U+FFFD, as encoding/xml does in attributes but
// not in CDATA.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

// writeJUnit writes the policy verdicts of a report as JUnit XML. A fired
// fail or abort policy is a failure (type: the action); a fired warn or
// disable_target goes to system-out and passes, as the run does. The
// "run" case fails only when the run failed and no policy says why.
func writeJUnit(path string, rep *report.Report) error {
	b, err := junitXML(rep)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return report.WriteFile(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// junitXML is the JUnit document of a report, with its XML declaration.
func junitXML(rep *report.Report) ([]byte, error) {
	b, err := xml.MarshalIndent(junitOf(rep), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), b...), '\n'), nil
}

func junitOf(rep *report.Report) junitSuites {
	name := rep.Scenario.Name
	secs := strconv.FormatFloat(rep.Run.DurationS, 'f', 3, 64)
	suite := junitSuite{
		Name: name, Time: secs, Timestamp: rep.Run.Start.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"scenario.file", rep.Scenario.File}, {"scenario.digest", rep.Scenario.Digest},
			{"run.id", rep.Run.ID}, {"run.seed", strconv.FormatUint(rep.Run.Seed, 10)},
			{"run.outcome", rep.Run.Outcome}, {"run.exit_code", strconv.Itoa(rep.Run.ExitCode)},
		},
	}
	vs := verdicts(rep)
	for _, v := range vs {
		c := junitCase{Name: v.policy, Classname: name, Time: "0"}
		if v.target != "" {
			c.Classname = name + "." + v.target
		}
		switch {
		case v.failing():
			c.Failure = &junitFailure{Message: v.firedMessage(), Type: v.action, Text: xmlText(v.firingLines())}
		case len(v.firings) > 0:
			c.SystemOut = &junitText{xmlText(v.firingLines())}
		}
		suite.Cases = append(suite.Cases, c)
	}
	run := junitCase{Name: "run", Classname: name, Time: secs, SystemOut: &junitText{xmlText(runSummary(rep))}}
	if msg := unexplainedFailure(rep, vs); msg != "" {
		run.Failure = &junitFailure{Message: msg, Type: rep.Run.Outcome, Text: xmlText(msg + "\n")}
	}
	suite.Cases = append(suite.Cases, run)
	for _, c := range suite.Cases {
		if c.Failure != nil {
			suite.Failures++
		}
	}
	suite.Tests = len(suite.Cases)
	return junitSuites{Name: name, Tests: suite.Tests, Failures: suite.Failures, Time: secs, Suites: []junitSuite{suite}}
}

// runSummary is the run's line in system-out: outcome and main figures.
func runSummary(rep *report.Report) string {
	c := rep.Total.Counters
	return fmt.Sprintf("%s (%s) after %.1fs, exit code %d: %d visits, %d hits, %d errors, p95 %s ms\n",
		rep.Run.Outcome, rep.Run.StopReason, rep.Run.DurationS, rep.Run.ExitCode,
		c.Visits, c.Hits, c.ErrorCount(), strconv.FormatFloat(rep.Total.Latency.P95, 'f', -1, 64))
}
