package main

import (
	"fmt"
	"io"

	"github.com/trafficinator/trafficinator/runner"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/scenario"
)

// loadPlan loads one scenario file, prints its diagnostics on stderr and
// compiles it. An invalid scenario is exit code 2.
func loadPlan(c *cli.Context, opts runner.PlanOptions) (*runner.Plan, error) {
	if c.NArg() != 1 {
		return nil, exit(exitUsage, "%s needs exactly one scenario FILE", c.Command.Name)
	}
	return loadPlanAt(c, c.Args().First(), opts)
}

// loadPlanAt is loadPlan of the scenario at path (verify --scenario).
func loadPlanAt(c *cli.Context, path string, opts runner.PlanOptions) (*runner.Plan, error) {
	lookup, envDiags := scenario.EnvLookup(c.StringSlice("env-file"))
	if envDiags.HasErrors() {
		_ = scenario.WriteDiagnostics(c.App.ErrWriter, "text", envDiags, nil)
		return nil, silentExit(exitUsage)
	}
	res := scenario.LoadFile(path, scenario.Options{Lookup: lookup, Converters: scenario.Converters(), CheckTarget: runner.CheckTarget, DeferSecrets: true})
	noteAdapted(c.App.ErrWriter, res)
	diags, unset := res.Diags, []string(nil)
	if !checksOnly(c) {
		diags, unset = unsetAsErrors(res)
	}
	if len(diags) > 0 {
		_ = scenario.WriteDiagnosticsText(c.App.ErrWriter, diags, sourcesOf(res))
	}
	if len(unset) > 0 {
		return nil, refuseUnset(c, path, unset)
	}
	if !res.Valid() {
		return nil, exit(exitUsage, "%s is not a valid scenario", path)
	}
	rememberShown(c, res.Diags)
	p, err := runner.CompilePlan(res.Scenario, opts)
	if err != nil {
		return nil, exit(exitUsage, "%s: %v", path, err)
	}
	return p, nil
}

// noteAdapted prints the one notice of a file that was converted in memory.
func noteAdapted(w io.Writer, res *scenario.Result) {
	if res.Adapter != "" && res.Original != nil {
		fmt.Fprintf(w, "note: %s is a %s file; run 'trafficinator migrate %s' to convert it\n",
			res.Original.File, res.Adapter, res.Original.File)
	}
}

// sourcesOf gives the renderers the text of every file a result names.
func sourcesOf(results ...*scenario.Result) scenario.SourceFiles {
	m := map[string][]byte{}
	for _, r := range results {
		if r.Source != nil {
			m[r.Source.File] = r.Source.Bytes
		}
		if r.Original != nil {
			m[r.Original.File] = r.Original.Bytes
		}
	}
	return func(f string) ([]byte, bool) { b, ok := m[f]; return b, ok }
}
