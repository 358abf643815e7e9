package main

import (
	"strings"
	"testing"
)

func TestUsageErrorsExitTwoWithoutHelpText(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"validate", "--bogus", "x"}, "flag provided but not defined: --bogus"},
		{[]string{"validate", "--format", "json", "--bogus", "examples"}, "flag provided but not defined"},
		{[]string{"schema", "extra"}, "schema takes no arguments"},
		{[]string{"apply"}, "apply needs exactly one scenario FILE"},
		{[]string{"apply", "a.yaml", "b.yaml"}, "apply needs exactly one scenario FILE"},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
		if strings.Contains(stdout, "USAGE:") {
			t.Errorf("%v: printed the help text on stdout: %q", c.args, stdout)
		}
	}
}

func TestEveryCommandAnswersVersionAndHelp(t *testing.T) {
	for _, cmd := range []string{"validate", "apply", "verify", "sink", "schema"} {
		code, stdout, _ := runCLI(t, cmd, "--version")
		if code != 0 || !strings.Contains(stdout, "trafficinator version") {
			t.Errorf("%s --version: exit %d, %q", cmd, code, stdout)
		}
		code, stdout, _ = runCLI(t, cmd, "some/path", "--help")
		if code != 0 || !strings.Contains(stdout, "trafficinator "+cmd) {
			t.Errorf("%s PATH --help: exit %d, %q", cmd, code, stdout)
		}
	}
}
