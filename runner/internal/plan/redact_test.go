package plan_test

import (
	"testing"

	"github.com/trafficinator/trafficinator/scenario"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// FuzzRedactMatchesDiag: a plan URL (targets/kind.URL) hides credentials
// exactly as diagnostics do (scenario.RedactURL), though targets/ may not
// import scenario/ to share the rule.
func FuzzRedactMatchesDiag(f *testing.F) {
	for _, s := range []string{
		"", "https://m.example/matomo.php", "https://user:pass@m.example/matomo.php",
		"https://a@b@m.example/x?y=@z#@", "file:/tmp/a@b", "http://@/", "://u@h", "https://u:p@[::1]:8080/p",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := plan.URL(s).String(), scenario.RedactURL(s); got != want {
			t.Fatalf("plan.URL(%q) shows %q, scenario.RedactURL %q", s, got, want)
		}
	})
}
