package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/scenario"
)

func strictFlag() *cli.BoolFlag {
	return &cli.BoolFlag{Name: "strict", Usage: "warnings fail too (exit 1); notes never do"}
}

// failsStrict reports whether validate --strict fails on diagnostics that
// have no error: any warning does; a note (a secret apply will need) never
// does, so that a pull request from a fork, which has no secrets, passes.
func failsStrict(c *cli.Context, all scenario.Diagnostics) bool {
	return c.Bool("strict") && all.Count(scenario.SeverityWarning) > 0
}

// validateSummary is validate's last line on stderr. Notes and skipped
// files are counted only when there are some.
func validateSummary(files, invalid, skipped int, all scenario.Diagnostics) string {
	counts := fmt.Sprintf("%d errors, %d warnings", all.Count(scenario.SeverityError), all.Count(scenario.SeverityWarning))
	if n := all.Count(scenario.SeverityNote); n > 0 {
		counts += fmt.Sprintf(", %d notes", n)
	}
	line := fmt.Sprintf("%d file(s) checked: %d valid, %d invalid (%s)", files, files-invalid, invalid, counts)
	if skipped > 0 {
		line += fmt.Sprintf(", %d skipped (not trafficinator files)", skipped)
	}
	return line
}
