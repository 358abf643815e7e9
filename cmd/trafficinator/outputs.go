package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/report"
)

// The files apply writes are checked before any traffic
// (report.CheckOutputs), and written atomically after the run; a write that
// fails then is reported on stderr without changing the exit code, which
// is the run's outcome (docs/cli.md).

// applyOutputs are the files apply writes.
func applyOutputs(c *cli.Context, state string) []report.NamedPath {
	return []report.NamedPath{
		{Name: "--out", Path: c.String("out")},
		{Name: "--junit", Path: c.String("junit")},
		{Name: "--state", Path: state, Continues: "--resume"},
	}
}

// applyInputs are the files apply reads, which no output may overwrite.
func applyInputs(c *cli.Context, p *runner.Plan) []report.NamedPath {
	in := []report.NamedPath{
		{Name: "the scenario file", Path: c.Args().First()},
		{Name: "--resume", Path: c.String("resume")},
		{Name: "the scenario's urls file", Path: p.Traffic.URLs.File},
	}
	for _, f := range c.StringSlice("env-file") {
		in = append(in, report.NamedPath{Name: "--env-file", Path: f})
	}
	return in
}

// checkApplyOutputs refuses, with exit code 2, outputs that could not be
// written after the run or that would overwrite an input.
func checkApplyOutputs(c *cli.Context, p *runner.Plan, state string) error {
	if err := report.CheckOutputs(applyOutputs(c, state), applyInputs(c, p)); err != nil {
		return exit(exitUsage, "%v", err)
	}
	return nil
}

// writeApplyOutputs writes the report file and the gate outputs; it tries
// each, and returns every failure. A report that cannot be written where
// asked is written to the temporary folder instead, and the error says
// where.
func writeApplyOutputs(c *cli.Context, rep *report.Report) error {
	var errs []error
	if out := c.String("out"); out != "" {
		if err := report.WriteJSONFile(out, rep); err != nil {
			if aside, err2 := report.WriteJSONAside(rep); err2 == nil {
				err = fmt.Errorf("%w; the JSON report was saved to %s instead", err, aside)
			}
			errs = append(errs, err)
		}
	}
	errs = append(errs, writeGateOutputs(c, rep))
	return errors.Join(errs...)
}

// reportWriteError prints a failed write after the run on stderr: the
// report is on stdout and the exit code stays the run's.
func reportWriteError(c *cli.Context, err error) {
	if err != nil {
		fmt.Fprintf(c.App.ErrWriter, "trafficinator: %v\n", err)
	}
}
