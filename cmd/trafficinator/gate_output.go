package main

import (
	"os"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
)

// The gate outputs turn a report's policy verdicts into what CI systems
// read besides the exit code: JUnit XML (--junit) and, under GitHub
// Actions, annotations on the policies' lines. runner/report builds both
// (the junit format, report.WriteAnnotations); docs/reports.md has the
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
		_ = report.WriteAnnotations(c.App.ErrWriter, rep)
	}
	if path := c.String("junit"); path != "" {
		return report.ReportFormats.WriteFile(path, "junit", rep)
	}
	return nil
}

// githubActions reports whether the process runs in a GitHub Actions job.
func githubActions() bool { return os.Getenv("GITHUB_ACTIONS") == "true" }
