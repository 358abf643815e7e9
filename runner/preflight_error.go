package runner

import (
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/runner/report"
)

// RequiredTargetError says that targets not marked optional failed the
// preflight: the run does not start (exit code 3), as a run that quietly
// leaves out most of its targets would pass when it should not.
type RequiredTargetError struct {
	Failed []report.PreflightRow
}

func (e *RequiredTargetError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, row := range e.Failed {
		parts[i] = row.Target + " (" + row.Message + ")"
	}
	noun := "target"
	if len(parts) > 1 {
		noun = "targets"
	}
	return fmt.Sprintf("%s %s failed the preflight; nothing was sent (mark a target optional: true to run without it)",
		noun, strings.Join(parts, ", "))
}
