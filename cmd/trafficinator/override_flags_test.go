package main

import (
	"regexp"
	"strings"
	"testing"
)

// The flags that replace a scenario field say that, left out, the
// scenario's value holds: not "(default: 0)", which reads as seed 0.
func TestOverrideFlagsDefaultToTheScenario(t *testing.T) {
	for _, cmd := range []string{"apply", "plan"} {
		_, help, _ := runCLI(t, cmd, "--help")
		for _, flag := range []string{"--seed N", "--duration DURATION", "--max-visits N"} {
			re := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(flag) + `\s+replace run\.\S+ with \S+.*\(default: from the scenario\)$`)
			if !re.MatchString(help) {
				t.Errorf("%s --help: no line for %s ending with (default: from the scenario):\n%s", cmd, flag, help)
			}
		}
		for _, line := range strings.Split(help, "\n") {
			if strings.Contains(line, "replace run.") && strings.Contains(line, "(default: 0") {
				t.Errorf("%s --help: %q", cmd, line)
			}
		}
	}
}
