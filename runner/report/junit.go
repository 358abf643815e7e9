package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

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
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
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
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
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

// junitSkipped marks a case that was not checked, and says why.
type junitSkipped struct {
	Message string `xml:"message,attr"`
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

// WriteJUnit writes the policy verdicts of a report as JUnit XML: the
// junit format of apply, report show and report merge, and apply --junit.
// A fired fail or abort policy is a failure (type: the action); a fired
// warn or disable_target goes to system-out and passes, as the run does.
// The "run" case fails only when the run failed and no policy says why.
func WriteJUnit(w io.Writer, rep *Report) error {
	b, err := junitXML(rep)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// junitXML is the JUnit document of a report, with its XML declaration.
func junitXML(rep *Report) ([]byte, error) { return marshalJUnit(junitOf(rep)) }

// marshalJUnit is a JUnit document with its XML declaration.
func marshalJUnit(doc junitSuites) ([]byte, error) {
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(append([]byte(xml.Header), b...), '\n'), nil
}

func junitOf(rep *Report) junitSuites {
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
	suite.Cases = append(suite.Cases, verificationCases(name, rep.Targets)...)
	run := junitCase{Name: "run", Classname: name, Time: secs, SystemOut: &junitText{xmlText(runSummary(rep))}}
	if msg := unexplainedFailure(rep, vs); msg != "" {
		run.Failure = &junitFailure{Message: msg, Type: rep.Run.Outcome, Text: xmlText(msg + "\n")}
	}
	suite.Cases = append(suite.Cases, run)
	for _, c := range suite.Cases {
		if c.Failure != nil {
			suite.Failures++
		}
		if c.Skipped != nil {
			suite.Skipped++
		}
	}
	suite.Tests = len(suite.Cases)
	return junitSuites{Name: name, Tests: suite.Tests, Failures: suite.Failures, Time: secs, Suites: []junitSuite{suite}}
}

// runSummary is the run's line in system-out: outcome and main figures.
func runSummary(rep *Report) string {
	c := rep.Total.Counters
	return fmt.Sprintf("%s (%s) after %.1fs, exit code %d: %d visits, %d hits, %d errors, p95 %s ms\n",
		rep.Run.Outcome, rep.Run.StopReason, rep.Run.DurationS, rep.Run.ExitCode,
		c.Visits, c.Hits, c.ErrorCount(), strconv.FormatFloat(rep.Total.Latency.P95, 'f', -1, 64))
}
