package main

import (
	"strings"
	"testing"
)

// TestUIRefusesToStartUnsafelyOrWithoutARepository: a non-loopback address
// without a token, a missing DIR and two DIRs are usage errors (exit 2),
// and nothing listens.
func TestUIRefusesToStartUnsafelyOrWithoutARepository(t *testing.T) {
	t.Setenv("TRAFFICINATOR_UI_TOKEN", "")
	dir := tree(t, map[string]string{"s.yaml": validScenario})
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"ui", dir, "--addr", "0.0.0.0:0"}, `trafficinator: ui: address "0.0.0.0:0": --ui-token or TRAFFICINATOR_UI_TOKEN is required to serve on a non-loopback address`},
		{[]string{"ui", dir, "--addr", ":0"}, `trafficinator: ui: address ":0": --ui-token or TRAFFICINATOR_UI_TOKEN is required to serve on a non-loopback address`},
		{[]string{"ui", dir + "/missing"}, "trafficinator: " + dir + "/missing is not a directory"},
		{[]string{"ui", dir, dir}, "trafficinator: ui takes at most one DIR, got 2 arguments"},
		{[]string{"ui", dir, "--addr", "nonsense"}, `trafficinator: ui: address "nonsense": `},
	}
	for _, c := range cases {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, c.want) || strings.Contains(stderr, "control page at") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}
