package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/schema"
)

// reportCommand groups what can be done with the JSON report that
// apply --out writes: show it, merge runs, compare two runs.
func reportCommand() *cli.Command {
	cmd := &cli.Command{
		Name:      "report",
		Usage:     "show, merge and compare run reports (the JSON that apply --out writes)",
		ArgsUsage: "show|merge|diff ...",
		Subcommands: []*cli.Command{
			reportShowCommand(), reportMergeCommand(), reportDiffCommand(), helpSubcommand("report"),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				typed := c.Args().First()
				return exit(exitUsage, "unknown report command %q%s (want show, merge or diff)", typed, didYouMean(commandNames(c.Command.Subcommands), typed))
			}
			return exit(exitUsage, "report needs a command: show, merge or diff (see 'trafficinator report --help')")
		},
	}
	cmd.OnUsageError = usageError
	for _, sub := range cmd.Subcommands {
		sub.OnUsageError = usageError
	}
	return cmd
}

func reportShowCommand() *cli.Command {
	return &cli.Command{
		Name:        "show",
		Usage:       "print a report as tables, JSON or JUnit XML",
		ArgsUsage:   "FILE",
		Description: "The JSON form is the report as apply wrote it, byte for byte. Exit codes: 0, or 2 for an unreadable or invalid report.",
		Flags:       []cli.Flag{formatFlag("output", report.ReportFormats)},
		Action: func(c *cli.Context) error {
			format, err := checkFormat(c, report.ReportFormats)
			if err != nil {
				return err
			}
			if c.NArg() != 1 {
				return exit(exitUsage, "report show needs exactly one report FILE")
			}
			rep, err := loadReport(c.Args().First())
			if err != nil {
				return err
			}
			return report.ReportFormats.Write(c.App.Writer, format, rep)
		},
	}
}

func reportMergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "add up reports of runs of one scenario that ran side by side",
		ArgsUsage: "FILE...",
		Description: "Counters are summed and latency histograms merged exactly, per target and in total; the " +
			"end-of-run policies are evaluated again over the merged figures. Exit codes: the merged run's " +
			"(0 passed, 1 a fail or abort policy fired, 130 a part was interrupted), or 2 for unreadable " +
			"reports or reports of different scenarios.",
		Flags: []cli.Flag{
			formatFlag("output", report.ReportFormats),
			&cli.StringFlag{Name: "out", Usage: "also write the merged JSON report to `FILE`"},
		},
		Action: func(c *cli.Context) error {
			format, err := checkFormat(c, report.ReportFormats)
			if err != nil {
				return err
			}
			if c.NArg() < 2 {
				return exit(exitUsage, "report merge needs at least two report FILEs")
			}
			if err := checkMergeOutput(c); err != nil {
				return err
			}
			var in []report.Input
			for _, path := range c.Args().Slice() {
				rep, err := loadReport(path)
				if err != nil {
					return err
				}
				in = append(in, report.Input{Source: path, Report: rep})
			}
			merged, err := report.Merge(in)
			if err != nil {
				return exit(exitUsage, "cannot merge: %v", err)
			}
			var writeErr error
			if out := c.String("out"); out != "" {
				writeErr = report.WriteJSONFile(out, merged)
			}
			if err := report.ReportFormats.Write(c.App.Writer, format, merged); err != nil {
				return err
			}
			if writeErr != nil {
				// Nothing was sent: merging again costs nothing, so a
				// lost file is a plain failure.
				return exit(exitUsage, "%v", writeErr)
			}
			return silentExit(merged.Run.ExitCode)
		},
	}
}

func reportDiffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "compare a run with a baseline and fail on regressions",
		ArgsUsage: "BASELINE CURRENT",
		Description: "Per target (matched by name) and in total: p50/p95/p99 latency, error rate and achieved rate. " +
			"Only the thresholds given are checked; --format junit makes each compared figure a test case, failed when it " +
			"regressed beyond one. Exit codes: 0 within the thresholds, 1 a regression " +
			"exceeds one, 2 usage errors or unreadable reports.",
		Flags: []cli.Flag{
			formatFlag("output", report.DiffFormats),
			&cli.StringFlag{Name: "max-p95-increase", Usage: "fail when a p95 grows by more than `LIMIT`: a percentage (20%) or milliseconds (50ms)"},
			&cli.StringFlag{Name: "max-error-rate-increase", Usage: "fail when an error rate grows by more than `LIMIT`: a fraction (0.01) or percentage points (1%)"},
		},
		Action: runReportDiff,
	}
}

func runReportDiff(c *cli.Context) error {
	format, err := checkFormat(c, report.DiffFormats)
	if err != nil {
		return err
	}
	if c.NArg() != 2 {
		return exit(exitUsage, "report diff needs a BASELINE and a CURRENT report FILE")
	}
	var th report.Thresholds
	if s := c.String("max-p95-increase"); c.IsSet("max-p95-increase") {
		v, unit, err := parseLimit(s, "%", "ms")
		if err != nil {
			return exit(exitUsage, "--max-p95-increase %q: %v (want a percentage such as 20%% or milliseconds such as 50ms)", s, err)
		}
		if unit == "ms" {
			th.MaxP95IncreaseMs = &v
		} else {
			th.MaxP95IncreasePct = &v
		}
	}
	if s := c.String("max-error-rate-increase"); c.IsSet("max-error-rate-increase") {
		v, unit, err := parseLimit(s, "", "%")
		if err != nil {
			return exit(exitUsage, "--max-error-rate-increase %q: %v (want a fraction such as 0.01 or points such as 1%%)", s, err)
		}
		if unit == "%" {
			v /= 100
		}
		th.MaxErrorRateIncrease = &v
	}
	base, err := loadReport(c.Args().Get(0))
	if err != nil {
		return err
	}
	cur, err := loadReport(c.Args().Get(1))
	if err != nil {
		return err
	}
	d := report.Compare(report.Input{Source: c.Args().Get(0), Report: base}, report.Input{Source: c.Args().Get(1), Report: cur}, th)
	if err := report.DiffFormats.Write(c.App.Writer, format, d); err != nil {
		return err
	}
	if len(d.Regressions) > 0 {
		msgs := make([]string, len(d.Regressions))
		for i, r := range d.Regressions {
			msgs[i] = r.Message
		}
		return exit(d.ExitCode(), "regression: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// parseLimit reads a non-negative number with one of the allowed units
// ("" for a bare number) and returns the number and its unit.
func parseLimit(s string, units ...string) (float64, string, error) {
	s = strings.TrimSpace(s)
	for _, u := range units {
		if u == "" {
			continue
		}
		if num, ok := strings.CutSuffix(s, u); ok {
			v, err := parseNonNegative(strings.TrimSpace(num))
			return v, u, err
		}
	}
	for _, u := range units {
		if u == "" {
			v, err := parseNonNegative(s)
			return v, "", err
		}
	}
	return 0, "", errors.New("missing unit")
}

func parseNonNegative(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("not a non-negative number")
	}
	return v, nil
}

// checkMergeOutput refuses, before anything is read, a merge --out that
// could not be written or that names one of the reports to merge.
func checkMergeOutput(c *cli.Context) error {
	var in []report.NamedPath
	for _, path := range c.Args().Slice() {
		in = append(in, report.NamedPath{Name: "the report", Path: path})
	}
	if err := report.CheckOutputs([]report.NamedPath{{Name: "--out", Path: c.String("out")}}, in); err != nil {
		return exit(exitUsage, "%v", err)
	}
	return nil
}

// loadReport reads a report file and validates it against the report
// schema; any problem is exit code 2 with a message naming the file.
func loadReport(path string) (*report.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, exit(exitUsage, "cannot read report: %v", err)
	}
	rep, err := parseReport(path, data)
	if err != nil {
		return nil, exit(exitUsage, "%v", err)
	}
	return rep, nil
}

// maxViolationsShown bounds the schema violations listed for one file.
const maxViolationsShown = 10

// parseReport validates data against schema/report.v3.json, then decodes it.
func parseReport(name string, data []byte) (*report.Report, error) {
	if err := report.CheckVersion(data); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s is not a JSON report: %v", name, err)
	}
	if vs := schema.ValidateReport(doc); len(vs) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s is not a valid trafficinator report (schema %s):", name, schema.ReportV3ID)
		for i, v := range vs {
			if i == maxViolationsShown {
				fmt.Fprintf(&b, "\n  ... and %d more", len(vs)-i)
				break
			}
			at := v.Pointer
			if at == "" {
				at = "/"
			}
			fmt.Fprintf(&b, "\n  %s: %s", at, v.Message)
			if v.Suggest != "" {
				fmt.Fprintf(&b, " (did you mean %q?)", v.Suggest)
			}
		}
		return nil, errors.New(b.String())
	}
	rep, err := report.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return rep, nil
}
