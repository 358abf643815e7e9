package main

import (
	"errors"
	"fmt"

	"github.com/trafficinator/trafficinator/runner"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/scenario"
)

func envFileFlag() *cli.StringSliceFlag {
	return &cli.StringSliceFlag{Name: "env-file", Usage: "read ${VAR} values from this .env `FILE` (repeatable)"}
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check scenario files: YAML, JSON Schema and semantic rules",
		ArgsUsage: "PATH...",
		Description: "Checks files and directories (*.yaml and *.yml, recursively; a directory's YAML " +
			"files without apiVersion: trafficinator/… are skipped). Secrets are for apply: an unset variable " +
			"where a secret can be is a note, not an error. " +
			"Exit codes: 0 all valid (warnings allowed, unless --strict), 1 a file is invalid, 2 usage error or missing path.",
		Flags: []cli.Flag{
			formatFlag("output", diagFormats{}),
			envFileFlag(),
			strictFlag(),
		},
		Action: runValidate,
	}
}

func runValidate(c *cli.Context) error {
	format, err := checkFormat(c, diagFormats{})
	if err != nil {
		return err
	}
	if c.NArg() == 0 {
		return exit(exitUsage, "validate needs at least one PATH (a file or a directory)")
	}
	lookup, envDiags := scenario.EnvLookup(c.StringSlice("env-file"))
	if envDiags.HasErrors() {
		_ = scenario.WriteDiagnostics(c.App.ErrWriter, "text", envDiags, nil)
		return silentExit(exitUsage)
	}
	results, skipped, err := scenario.LoadWalk(c.Args().Slice(), scenario.Options{Lookup: lookup, Converters: scenario.Converters(), CheckTarget: runner.CheckTarget, DeferSecrets: true})
	if errors.Is(err, scenario.ErrNoPath) {
		return exit(exitUsage, "%v", err)
	}
	if err != nil {
		return exit(exitUsage, "%v", err)
	}
	var all scenario.Diagnostics
	invalid := 0
	for _, r := range results {
		noteAdapted(c.App.ErrWriter, r)
		all = append(all, r.Diags...)
		all = append(all, mergeWarnings(r)...)
		if r.Diags.HasErrors() {
			invalid++
		}
	}
	if err := scenario.WriteDiagnostics(c.App.Writer, format, all, sourcesOf(results...)); err != nil {
		return err
	}
	if format == "text" {
		fmt.Fprintln(c.App.ErrWriter, validateSummary(len(results), invalid, len(skipped), all))
	}
	if invalid > 0 || failsStrict(c, all) {
		return silentExit(exitInvalid)
	}
	return nil
}

// mergeWarnings are the warnings of a valid scenario's plan about visits
// Matomo would merge (targets without a per-visit IP address): they need
// the plan's rates and pools, which only compiling it gives.
func mergeWarnings(r *scenario.Result) scenario.Diagnostics {
	if !r.Valid() || r.Scenario == nil {
		return nil
	}
	p, err := runner.CompilePlan(r.Scenario, runner.PlanOptions{MeanRequests: true})
	if err != nil {
		return nil // plan reports it
	}
	return p.MergeWarnings()
}
