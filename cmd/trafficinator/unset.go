package main

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/scenario"
)

// Secrets are for apply: validate and plan load a scenario with
// DeferSecrets, so that an unset token is a note ("needed by apply") and
// every other error is still found; apply and verify, which send with
// those secrets, list every unset one at once and refuse to start.

// checksOnly reports whether the command only reads the scenario, and so
// runs without the secrets that sending needs.
func checksOnly(c *cli.Context) bool {
	return c.Command.Name == "plan" || c.Command.Name == "validate"
}

// unsetAsErrors turns the notes of res's unset secret variables into
// errors, for a command that would send with them, and names the
// variables once each, in order.
func unsetAsErrors(res *scenario.Result) (scenario.Diagnostics, []string) {
	if res.Source == nil || len(res.Source.Unset) == 0 {
		return res.Diags, nil
	}
	at := map[[2]int]scenario.UnsetVar{}
	var names []string
	for _, u := range res.Source.Unset {
		at[[2]int{u.Line, u.Column}] = u
		if !slices.Contains(names, u.Name) {
			names = append(names, u.Name)
		}
	}
	out := make(scenario.Diagnostics, 0, len(res.Diags))
	for _, d := range res.Diags {
		if u, ok := at[[2]int{d.Line, d.Column}]; ok && d.Severity == scenario.SeverityNote && d.Message == u.NeededByApply() {
			d.Severity = scenario.SeverityError
			d.Message = u.NotSet()
			d.Hint = "export " + u.Name + " or pass --env-file; nothing is sent without it"
		}
		out = append(out, d)
	}
	return out, names
}

// refuseUnset is the exit of apply or verify when variables are unset.
func refuseUnset(c *cli.Context, path string, names []string) error {
	noun, verb := "variable", "is"
	if len(names) > 1 {
		noun, verb = "variables", "are"
	}
	return exit(exitUsage, "%s: %s needs the %s %s, which %s not set; nothing was sent",
		path, c.Command.Name, noun, strings.Join(names, ", "), verb)
}
