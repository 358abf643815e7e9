package main

import (
	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "compile a scenario into its execution plan, sending nothing",
		ArgsUsage: "FILE",
		Description: "Shows per target the effective configuration, share, features and expected visits, " +
			"hits and requests; the timeline, stop conditions and policies. The JSON form is stable " +
			"(sorted keys, no timestamps, secrets redacted, figures rounded) and versioned (schema/plan.v1.json): " +
			"write it with --out and run exactly that plan with apply --plan (docs/plans.md). Exit codes: 0, or 2 for an invalid scenario " +
			"or a --out that cannot be written.",
		Flags: []cli.Flag{
			planOutFlag(),
			formatFlag("output", report.PlanFormats),
			envFileFlag(),
			&cli.Uint64Flag{Name: "seed", Usage: "replace run.seed with `N`", DefaultText: fromScenario},
			&cli.DurationFlag{Name: "duration", Usage: "replace run.duration with `DURATION`", DefaultText: fromScenario},
			&cli.Int64Flag{Name: "max-visits", Usage: "replace run.max_visits with `N`", DefaultText: fromScenario},
		},
		Action: func(c *cli.Context) error {
			format, err := checkFormat(c, report.PlanFormats)
			if err != nil {
				return err
			}
			if err := checkStopFlags(c); err != nil {
				return err
			}
			opts := planOptions(c)
			// A plan is a document to review: without a seed it shows 0
			// rather than a random number that changes every time.
			opts.RandomSeed = func() uint64 { return 0 }
			p, err := loadPlan(c, opts)
			if err != nil {
				return err
			}
			if err := writePlanOut(c, p); err != nil {
				return err
			}
			return report.PlanFormats.Write(c.App.Writer, format, withoutShown(p, format, shownDiagnostics(c)))
		},
	}
}
