package report

import (
	"io"

	"github.com/trafficinator/trafficinator/scenario"
)

// WriteAnnotations writes GitHub workflow commands for a report: an error
// on the policy's line for each fired fail or abort pair, a warning for
// warn and disable_target, and an error on the scenario file for a
// failure no policy explains. apply writes them on stderr under GitHub
// Actions; they are not a --format, since they go beside the report.
func WriteAnnotations(w io.Writer, rep *Report) error {
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
	return scenario.WriteDiagnosticsGitHub(w, l)
}
