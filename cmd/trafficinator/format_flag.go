package main

import (
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

// formatNames is what the --format flag needs of a registry of formats
// (report.ReportFormats, report.DiffFormats, report.PlanFormats): their
// names, the default first. The flag knows no format itself.
type formatNames interface{ Names() []string }

// formatFlag is the --format flag of a command whose output is written by
// the registry f; what says what is written ("report", "output"). Its help
// lists the formats of f, and its default is the first.
func formatFlag(what string, f formatNames) *cli.StringFlag {
	names := f.Names()
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: names[0],
		Usage: what + " `FORMAT`: " + report.OneOf(names)}
}

// checkFormat returns the --format value, or exit code 2 with a message
// that lists the formats of f in their fixed order.
func checkFormat(c *cli.Context, f formatNames) (string, error) {
	format := c.String("format")
	if names := f.Names(); !slices.Contains(names, format) {
		return "", exit(exitUsage, "unknown --format %q (want %s)", format, report.OneOf(names))
	}
	return format, nil
}

// diagFormats are validate's formats, written by diag.Write: diagnostics
// are not a report, so they are not in runner/report's registries.
type diagFormats struct{}

func (diagFormats) Names() []string { return scenario.DiagnosticFormats() }
