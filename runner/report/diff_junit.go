package report

import (
	"io"
	"strings"
)

// WriteDiffJUnit writes a diff as JUnit XML, so that a CI test view shows
// which figure of which target regressed. One suite, named after the
// current run's scenario; one test case per compared figure of each target
// and of the total (classname SCENARIO.TARGET, name the figure as in the
// JSON: p50_ms, p95_ms, p99_ms, error_rate, achieved_rate), in the order
// of the diff's rows, with "BASELINE → CURRENT (CHANGE)" in system-out.
// A case fails (type "regression") when the figure exceeds a threshold
// given, with the regression's message; a figure without data on one side
// is skipped, as is a target found on one side only (one case named
// "presence"). Nothing takes time: every time is 0.
func WriteDiffJUnit(w io.Writer, d *Diff) error {
	b, err := marshalJUnit(diffJUnitOf(d))
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func diffJUnitOf(d *Diff) junitSuites {
	name := d.Current.Scenario
	suite := junitSuite{
		Name: name, Time: "0",
		Properties: []junitProperty{
			{"baseline.source", d.Baseline.Source}, {"baseline.run.id", d.Baseline.RunID},
			{"baseline.run.outcome", d.Baseline.Outcome},
			{"current.source", d.Current.Source}, {"current.run.id", d.Current.RunID},
			{"current.run.outcome", d.Current.Outcome},
			{"thresholds", thresholdsText(d.Thresholds)},
		},
	}
	for _, r := range d.Rows {
		class := name + "." + r.Target
		if r.Presence != "both" {
			suite.Cases = append(suite.Cases, junitCase{Name: "presence", Classname: class, Time: "0",
				Skipped: &junitSkipped{Message: "only in " + r.Presence + ": nothing to compare"}})
			continue
		}
		for _, f := range []struct {
			metric string
			c      *Change
			cell   func(*Change) string
		}{
			{"p50_ms", r.P50Ms, latencyCell}, {"p95_ms", r.P95Ms, latencyCell}, {"p99_ms", r.P99Ms, latencyCell},
			{"error_rate", r.ErrorRate, errorRateCell}, {"achieved_rate", r.AchievedRate, rateCell},
		} {
			suite.Cases = append(suite.Cases, d.figureCase(class, r.Target, f.metric, f.c, f.cell(f.c)))
		}
	}
	for _, c := range suite.Cases {
		switch {
		case c.Failure != nil:
			suite.Failures++
		case c.Skipped != nil:
			suite.Skipped++
		}
	}
	suite.Tests = len(suite.Cases)
	return junitSuites{Name: name, Tests: suite.Tests, Failures: suite.Failures, Time: "0", Suites: []junitSuite{suite}}
}

// figureCase is the test case of one figure of one target: failed by the
// regressions found on it, skipped without data.
func (d *Diff) figureCase(class, target, metric string, c *Change, cell string) junitCase {
	tc := junitCase{Name: metric, Classname: class, Time: "0"}
	if !c.HasData {
		tc.Skipped = &junitSkipped{Message: "no data: a side has no answered request"}
		return tc
	}
	tc.SystemOut = &junitText{xmlText(cell + "\n")}
	var msgs []string
	for _, reg := range d.Regressions {
		if reg.Target == target && reg.Metric == metric {
			msgs = append(msgs, reg.Message)
		}
	}
	if len(msgs) > 0 {
		tc.Failure = &junitFailure{Message: strings.Join(msgs, "; "), Type: "regression",
			Text: xmlText(strings.Join(msgs, "\n") + "\n")}
	}
	return tc
}
