package main

import (
	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/plan"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/scenario/diag"
)

// loadPlan loads one scenario file, prints its diagnostics on stderr and
// compiles it. An invalid scenario is exit code 2.
func loadPlan(c *cli.Context, opts plan.Options) (*plan.Plan, error) {
	if c.NArg() != 1 {
		return nil, exit(exitUsage, "%s needs exactly one scenario FILE", c.Command.Name)
	}
	lookup, envDiags := scenario.EnvLookup(c.StringSlice("env-file"))
	if envDiags.HasErrors() {
		_ = diag.Write(c.App.ErrWriter, "text", envDiags, nil)
		return nil, silentExit(exitUsage)
	}
	path := c.Args().First()
	res := scenario.LoadFile(path, scenario.Options{Lookup: lookup})
	src := func(string) ([]byte, bool) { return res.Source.Bytes, true }
	if len(res.Diags) > 0 {
		_ = diag.WriteText(c.App.ErrWriter, res.Diags, src)
	}
	if !res.Valid() {
		return nil, exit(exitUsage, "%s is not a valid scenario", path)
	}
	p, err := plan.Compile(res.Scenario, opts)
	if err != nil {
		return nil, exit(exitUsage, "%s: %v", path, err)
	}
	return p, nil
}
