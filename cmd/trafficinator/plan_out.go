package main

import (
	"bytes"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/scenario"
)

// planOutFlag is plan's --out: the reviewed plan that apply --plan runs.
func planOutFlag() cli.Flag {
	return &cli.StringFlag{Name: "out", Usage: "also write the plan's JSON document to `FILE`, for review and apply --plan"}
}

// writePlanOut writes the plan's JSON document to --out, if given.
func writePlanOut(c *cli.Context, p *runner.Plan) error {
	out := c.String("out")
	if out == "" {
		return nil
	}
	if samePath(out, p.File) {
		return exit(exitUsage, "--out %s is the scenario itself; nothing was written", out)
	}
	var buf bytes.Buffer
	if err := runner.WritePlanJSON(&buf, p); err != nil {
		return exit(exitUsage, "--out %s: %v", out, err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return exit(exitUsage, "--out: %v", err)
	}
	return nil
}

// shownKey is where loadPlan leaves the diagnostics it printed, in the
// app's Metadata (one app per command line).
const shownKey = "trafficinator/shown-diagnostics"

// rememberShown records the diagnostics printed on stderr.
func rememberShown(c *cli.Context, d scenario.Diagnostics) {
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata[shownKey] = d
}

// shownDiagnostics are the diagnostics rememberShown recorded.
func shownDiagnostics(c *cli.Context) scenario.Diagnostics {
	d, _ := c.App.Metadata[shownKey].(scenario.Diagnostics)
	return d
}

// withoutShown returns p for the table without the warnings the scenario's
// diagnostics already printed on stderr (the scenario's checks and the
// compiler both warn about geo on a target without a token), so that plan
// prints each warning once. The JSON document keeps every warning: it is
// the plan, not a message.
func withoutShown(p *runner.Plan, format string, shown scenario.Diagnostics) *runner.Plan {
	if format == "json" || len(p.Warnings) == 0 || len(shown) == 0 {
		return p
	}
	printed := map[string]bool{}
	for _, d := range shown {
		printed[d.Message] = true
	}
	q := *p
	q.Warnings = nil
	for _, w := range p.Warnings {
		if !printed[w.Message] {
			q.Warnings = append(q.Warnings, w)
		}
	}
	return &q
}
