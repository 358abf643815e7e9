package scenario

import (
	"slices"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// DiagnosticFormats are the formats WriteDiagnostics takes, the default
// first: text, json, github and sarif. validate's --format flag, its help
// and its errors read this list.
func DiagnosticFormats() []string { return slices.Clone(diag.Formats) }
