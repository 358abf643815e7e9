package legacy_test

import (
	"os"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
)

// TestDocsListEveryVariable: docs/migration.md has a table row for every
// variable of the legacy spec (env-vars.tsv) and of the adapter's own
// table, so that the two never drift apart.
func TestDocsListEveryVariable(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/migration.md")
	if err != nil {
		t.Fatal(err)
	}
	tsv, err := os.ReadFile("testdata/env-vars.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(string(tsv)), "\n")[1:] {
		names = append(names, strings.Split(l, "\t")[0])
	}
	names = append(names, "API_KEY") // read by the Control UI's test script (spec §1.2)
	if len(names) < 50 {
		t.Fatalf("only %d variables in env-vars.tsv", len(names))
	}
	for _, n := range names {
		if !strings.Contains(string(doc), "\n| `"+n+"` |") {
			t.Errorf("docs/migration.md has no table row for %s", n)
		}
	}
	for _, n := range legacy.LegacyKeyNames() {
		if !strings.Contains(string(doc), "\n| `"+n+"` |") {
			t.Errorf("docs/migration.md has no table row for %s (adapter table)", n)
		}
	}
}
