package loadtest_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

var update = flag.Bool("update", false, "rewrite schema/testdata/report.v3.compact.json")

// The fuzz seed of the report readers outside runner/ (schema, the CLI) is
// a file: CompactReport of the reference report, kept current here.
func TestCompactSeedIsCurrent(t *testing.T) {
	dir := moduleRoot(t) + "/schema/testdata/"
	full, compact := dir+"report.v3.json", dir+"report.v3.compact.json"
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	want, err := loadtest.CompactReport(data)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(compact, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(compact)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not CompactReport(%s): run go test ./runner/loadtest -run TestCompactSeedIsCurrent -update", compact, full)
	}
	if len(got) >= len(data)/2 {
		t.Errorf("the compact seed has %d bytes, the report %d: not compact", len(got), len(data))
	}
}

// moduleRoot is the folder of go.mod, wherever this package moves.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
