package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/report"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "ask Matomo what it recorded of a finished run and compare it with what was sent (docs/verify.md)",
		ArgsUsage: "REPORT.json | --scenario FILE --save-baseline FILE",
		Description: "Reads the targets and the run's days from the report and the scenario (--scenario, default: the\n" +
			"report's scenario.file), tokens from the environment as apply does. With --save-baseline, reads\n" +
			"instead what the sites recorded before a run, for --baseline after it. Exit codes: 0 verified (or\n" +
			"skipped targets only), 1 a fail policy fired, or without a policy on verification figures a target\n" +
			"not verified exactly, 2 usage error or unreadable input, 130 interrupted.",
		Flags: []cli.Flag{
			formatFlag("output", report.VerifyFormats),
			envFileFlag(),
			&cli.StringFlag{Name: "scenario", Usage: "the run's scenario `FILE` (default: the report's scenario.file)"},
			&cli.StringFlag{Name: "baseline", Usage: "subtract the figures that verify --save-baseline wrote to `FILE` before the run"},
			&cli.StringFlag{Name: "save-baseline", Usage: "read the sites' figures before a run and write them to `FILE` (needs --scenario, no REPORT)"},
			&cli.DurationFlag{Name: "wait", Usage: "read a day that is not archived again, every 5s, for at most `DURATION` (0: once)"},
			&cli.IntFlag{Name: "sample", Usage: "compare at most `N` of the report's sampled visits (0: all)"},
			&cli.StringFlag{Name: "out", Usage: "also write the verified JSON report to `FILE` (may be the report itself)"},
		},
		Action: runVerify,
	}
}

func runVerify(c *cli.Context) error {
	format, err := checkFormat(c, report.VerifyFormats)
	if err != nil {
		return err
	}
	if c.Duration("wait") < 0 || c.Int("sample") < 0 {
		return exit(exitUsage, "--wait and --sample cannot be negative")
	}
	if path := c.String("save-baseline"); path != "" {
		return saveBaseline(c, path)
	}
	if c.NArg() != 1 {
		return exit(exitUsage, "verify needs exactly one REPORT.json (or --scenario FILE --save-baseline FILE)")
	}
	in := c.Args().First()
	rep, err := loadReport(in)
	if err != nil {
		return err
	}
	scenarioPath := c.String("scenario")
	if scenarioPath == "" {
		scenarioPath = rep.Scenario.File
	}
	if scenarioPath == "" {
		return exit(exitUsage, "%s names no scenario file: give --scenario FILE", in)
	}
	if err := report.CheckOutputs([]report.NamedPath{{Name: "--out", Path: c.String("out"), Continues: "the report"}},
		[]report.NamedPath{{Name: "the report", Path: in}, {Name: "the scenario file", Path: scenarioPath}, {Name: "--baseline", Path: c.String("baseline")}}); err != nil {
		return exit(exitUsage, "%v", err)
	}
	o := runner.VerifyOptions{Wait: c.Duration("wait"), Sample: c.Int("sample")}
	if path := c.String("baseline"); path != "" {
		if o.Baseline, err = runner.ReadBaselineFile(path); err != nil {
			return exit(exitUsage, "--baseline %s: %v", path, err)
		}
	}
	p, err := loadPlanAt(c, scenarioPath, runner.PlanOptions{})
	if err != nil {
		return err
	}
	if p.Digest != rep.Scenario.Digest {
		fmt.Fprintf(c.App.ErrWriter, "warning: %s changed since the run (digest %s, the report's %s): its targets are used as they are now\n",
			scenarioPath, short(p.Digest), short(rep.Scenario.Digest))
	}
	intr := listenInterrupts(c.App.ErrWriter)
	defer intr.stop()
	runner.VerifyReport(intr.ctx, p, rep, o)
	if intr.interrupted() {
		return exit(exitInterrupted, "%v", runner.ErrInterrupted)
	}
	var writeErr error
	if out := c.String("out"); out != "" {
		writeErr = report.WriteJSONFile(out, rep)
	}
	if err := report.VerifyFormats.Write(c.App.Writer, format, rep); err != nil {
		return err
	}
	reportWriteError(c, writeErr)
	return silentExit(rep.Run.ExitCode)
}

// saveBaseline is verify --scenario FILE --save-baseline FILE.
func saveBaseline(c *cli.Context, path string) error {
	if c.NArg() != 0 || c.String("scenario") == "" {
		return exit(exitUsage, "--save-baseline needs --scenario FILE and no REPORT")
	}
	if c.IsSet("baseline") || c.IsSet("out") {
		return exit(exitUsage, "--save-baseline writes a baseline: --baseline and --out belong to the verification after the run")
	}
	if err := report.CheckOutputs([]report.NamedPath{{Name: "--save-baseline", Path: path}},
		[]report.NamedPath{{Name: "the scenario file", Path: c.String("scenario")}}); err != nil {
		return exit(exitUsage, "%v", err)
	}
	p, err := loadPlanAt(c, c.String("scenario"), runner.PlanOptions{})
	if err != nil {
		return err
	}
	intr := listenInterrupts(c.App.ErrWriter)
	defer intr.stop()
	b := runner.SaveBaseline(intr.ctx, p)
	if intr.interrupted() {
		return exit(exitInterrupted, "%v", runner.ErrInterrupted)
	}
	for _, t := range b.Targets {
		if t.Skipped != "" {
			fmt.Fprintf(c.App.ErrWriter, "warning: target %s: no baseline: %s\n", t.Target, t.Skipped)
		} else {
			fmt.Fprintf(c.App.ErrWriter, "target %s: baseline of %d days (site timezone %s)\n", t.Target, len(t.Days), t.Timezone)
		}
	}
	if err := runner.WriteBaselineFile(path, b); err != nil {
		return exit(exitUsage, "--save-baseline: %v", err)
	}
	return nil
}

func short(digest string) string {
	digest = strings.TrimPrefix(digest, "sha256:")
	return digest[:min(len(digest), 12)]
}
