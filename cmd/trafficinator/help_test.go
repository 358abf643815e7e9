package main

import (
	"strings"
	"testing"
)

// help [COMMAND...] prints what COMMAND --help prints; an unknown topic is
// a usage error (exit 2), with the closest command.
func TestHelpCommandIsTheHelpFlag(t *testing.T) {
	for _, topic := range [][]string{{}, {"apply"}, {"report"}, {"report", "diff"}, {"version"}, {"completion"}} {
		code, got, stderr := runCLI(t, append([]string{"help"}, topic...)...)
		_, want, _ := runCLI(t, append(topic, "--help")...)
		if code != exitOK || stderr != "" || got != want || !strings.Contains(got, "USAGE:") {
			t.Errorf("help %v: exit %d stderr %q\n%s\nwant the text of --help:\n%s", topic, code, stderr, got, want)
		}
		if len(topic) > 0 && topic[0] == "report" {
			// report help [COMMAND] is the same again.
			code, got, _ = runCLI(t, append([]string{"report", "help"}, topic[1:]...)...)
			if code != exitOK || got != want {
				t.Errorf("report help %v: exit %d\n%s", topic[1:], code, got)
			}
		}
	}
	_, root, _ := runCLI(t, "help")
	for _, cmd := range []string{"help", "version", "completion"} {
		if !strings.Contains(root, "\n   "+cmd+" ") {
			t.Errorf("the help does not list %s:\n%s", cmd, root)
		}
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"help", "aply"}, `trafficinator: no help for "aply"; did you mean apply? (see 'trafficinator help')` + "\n"},
		{[]string{"help", "report", "shw"}, `trafficinator: no help for "report shw"; did you mean show? (see 'trafficinator help')` + "\n"},
		{[]string{"report", "help", "dif"}, `trafficinator: no help for "report dif"; did you mean diff? (see 'trafficinator help')` + "\n"},
		{[]string{"help", "nothing-like-it"}, `trafficinator: no help for "nothing-like-it" (see 'trafficinator help')` + "\n"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitUsage || stdout != "" || stderr != c.want {
			t.Errorf("%v: exit %d stdout %q stderr %q, want 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// A mistyped command or flag gets the closest one, and the flag is echoed
// as typed; exit code 2 and nothing on stdout.
func TestSuggestionsForMistypedCommandsAndFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"aply", "x.yaml"}, `unknown command "aply"; did you mean apply? (see 'trafficinator --help')`},
		{[]string{"valdiate"}, `unknown command "valdiate"; did you mean validate?`},
		{[]string{"nosuch"}, `unknown command "nosuch" (see 'trafficinator --help')`},
		{[]string{"report", "shw", "r.json"}, `unknown report command "shw"; did you mean show? (want show, merge or diff)`},
		{[]string{"validate", "--formt", "json", "x"}, "flag provided but not defined: --formt; did you mean --format? (see 'trafficinator validate --help')"},
		{[]string{"validate", "-formt", "json", "x"}, "flag provided but not defined: -formt; did you mean --format?"},
		{[]string{"apply", "x.yaml", "--max-vists=3"}, "flag provided but not defined: --max-vists; did you mean --max-visits? (see 'trafficinator apply --help')"},
		{[]string{"apply", "--zzz", "x.yaml"}, "flag provided but not defined: --zzz (see 'trafficinator apply --help')"},
		{[]string{"report", "diff", "--max-p95", "a", "b"}, "flag provided but not defined: --max-p95; did you mean --max-p95-increase?"},
		{[]string{"--verison"}, "flag provided but not defined: --verison; did you mean --version? (see 'trafficinator --help')"},
		{[]string{"apply", "x.yaml", "--seed"}, "flag needs an argument: --seed (see 'trafficinator apply --help')"},
		{[]string{"apply", "--seed", "x", "x.yaml"}, `invalid value "x" for flag --seed: parse error`},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "trafficinator: ") || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d stdout %q stderr %q, want 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

func TestClosestNeedsToBeClose(t *testing.T) {
	names := []string{"validate", "plan", "apply", "verify", "migrate", "report", "sink", "schema", "version", "help"}
	for typed, want := range map[string]string{
		"aply": "apply", "appyl": "apply", "pln": "plan", "vrsion": "version", "shema": "schema",
		"mig": "migrate", "valid": "validate", "ver": "", "x": "", "nosuch": "", "deploy": "",
	} {
		if got := closest(names, typed); got != want {
			t.Errorf("closest(%q) = %q, want %q", typed, got, want)
		}
	}
}
