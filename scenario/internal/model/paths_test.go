package model

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/scenario/internal/testfiles"
)

func TestCollectFiles(t *testing.T) {
	dir := testfiles.Tree(t, map[string]string{
		"b.yaml": "", "a.yml": "", "C.YAML": "", "notes.txt": "", "sub/z.yaml": "", "sub/y.yaml": "",
		".git/x.yaml": "", ".hidden/x.yaml": "", "sub/.deep/x.yaml": "",
	})
	got, err := CollectFiles([]string{dir, filepath.Join(dir, "notes.txt")})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"C.YAML", "a.yml", "b.yaml", "sub/y.yaml", "sub/z.yaml", "notes.txt"}
	if !slices.Equal(rel, want) {
		t.Errorf("got %q, want %q", rel, want)
	}
	if _, err := CollectFiles([]string{filepath.Join(dir, "missing")}); !errors.Is(err, ErrNoPath) {
		t.Errorf("missing path: err = %v, want ErrNoPath", err)
	}
}

// A directory walk checks scenarios and files without a kind, and skips
// other kinds; a file named on the command line is always checked.
func TestLoadPathsSkipsOtherKinds(t *testing.T) {
	other := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
	dir := testfiles.Tree(t, map[string]string{
		"good.yaml":      validBase,
		"other.yaml":     other,
		"kindless.yaml":  "name: x\n",
		"broken.yaml":    "a: [\n",
		"wrongcase.yaml": strings.Replace(validBase, "kind: Scenario", "kind: scenario", 1),
	})
	results, err := LoadPaths([]string{dir}, testOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range results {
		got[filepath.Base(r.Source.File)] = r.Valid()
	}
	// wrongcase.yaml is a typo of Scenario: checked, and invalid.
	want := map[string]bool{"good.yaml": true, "kindless.yaml": false, "broken.yaml": false, "wrongcase.yaml": false}
	if len(got) != len(want) {
		t.Fatalf("checked %v, want %v", got, want)
	}
	for f, v := range want {
		if g, ok := got[f]; !ok || g != v {
			t.Errorf("%s: checked=%v valid=%v, want checked, valid=%v", f, ok, g, v)
		}
	}

	explicit := filepath.Join(dir, "other.yaml")
	results, err = LoadPaths([]string{explicit}, testOptions(nil))
	if err != nil || len(results) != 1 {
		t.Fatalf("explicit file: %d results, %v", len(results), err)
	}
	if r := results[0]; r.Valid() || r.Kind != "ConfigMap" {
		t.Errorf("an explicitly named file of another kind must be checked and fail; valid=%v kind=%q:%s", r.Valid(), r.Kind, dump(r.Diags))
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	r := LoadFile(filepath.Join(dir, "nope.yaml"), testOptions(nil))
	if r.Valid() || len(r.Diags) != 1 || r.Diags[0].Message != "no such file or directory" || r.Diags[0].Line != 0 {
		t.Errorf("missing file:%s", dump(r.Diags))
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	r = LoadFile(big, testOptions(nil))
	if r.Valid() || len(r.Diags) != 1 || r.Diags[0].Message != "file is larger than 4 MiB" {
		t.Errorf("big file:%s", dump(r.Diags))
	}
	r = LoadFile(dir, testOptions(nil))
	if r.Valid() || len(r.Diags) != 1 {
		t.Errorf("a directory read as a file:%s", dump(r.Diags))
	}
}

// The process environment wins over --env-file values, and a later file
// wins over an earlier one, as in docker compose.
func TestEnvLookup(t *testing.T) {
	dir := testfiles.Tree(t, map[string]string{
		"one.env": "A=from-one\nB=from-one\nexport C='lit ${A}'\nD=\"${A}-x\"\n",
		"two.env": "B=from-two\n",
	})
	t.Setenv("TRAFFICINATOR_TEST_A", "process")
	t.Setenv("A", "process-a")
	lookup, diags := EnvLookup([]string{filepath.Join(dir, "one.env"), filepath.Join(dir, "two.env")})
	if len(diags) != 0 {
		t.Fatalf("diags:%s", dump(diags))
	}
	for name, want := range map[string]string{
		// Inside a file, ${A} means the A above it (as compose-go reads .env).
		"A": "process-a", "B": "from-two", "C": "lit ${A}", "D": "from-one-x", "TRAFFICINATOR_TEST_A": "process",
	} {
		if got, ok := lookup(name); !ok || got != want {
			t.Errorf("%s = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := lookup("TRAFFICINATOR_TEST_UNSET_XYZ"); ok {
		t.Errorf("an unset variable must not be found")
	}

	bad := testfiles.Tree(t, map[string]string{"bad.env": "OK=1\nthis is not an assignment\n"})
	_, diags = EnvLookup([]string{filepath.Join(bad, "bad.env"), filepath.Join(bad, "missing.env")})
	if len(diags) != 2 || diags[0].Line != 2 || diags[0].Column != 1 || diags[1].Message != "no such file or directory" {
		t.Errorf("diags:%s", dump(diags))
	}
}
