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

// A directory walk checks Trafficinator's files and skips the rest (other
// kinds, YAML without apiVersion: trafficinator/…), naming them; a file
// named on the command line is always checked.
func TestLoadWalkSkipsOtherFiles(t *testing.T) {
	other := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
	dir := testfiles.Tree(t, map[string]string{
		"good.yaml":        validBase,
		"other.yaml":       other,
		"compose.yaml":     "services:\n  matomo:\n    image: matomo:5\n",
		"ci.yml":           "on: [push]\njobs: {}\n",
		"k8s.yaml":         "apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\n",
		"broken-other.yml": "a: [\n",
		"empty.yaml":       "",
		"plan.yaml":        "apiVersion: trafficinator/v1\nkind: Plan\n",
		// Checked, and invalid: a typo of the apiVersion's version, of
		// Scenario, a scenario that lost its apiVersion, a syntax error.
		"v9.yaml":         strings.Replace(validBase, "trafficinator/v1", "trafficinator/v9", 1),
		"wrongcase.yaml":  strings.Replace(validBase, "kind: Scenario", "kind: scenario", 1),
		"noversion.yaml":  strings.Replace(validBase, "apiVersion: trafficinator/v1\n", "", 1),
		"broken.yaml":     validBase + "traffic: [\n",
		"broken-kind.yml": strings.Replace(validBase, "apiVersion: trafficinator/v1\n", "", 1) + "x: [\n",
	})
	results, skipped, err := LoadWalk([]string{dir}, testOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range results {
		got[filepath.Base(r.Source.File)] = r.Valid()
	}
	want := map[string]bool{"good.yaml": true, "v9.yaml": false, "wrongcase.yaml": false, "noversion.yaml": false, "broken.yaml": false, "broken-kind.yml": false}
	if len(got) != len(want) {
		t.Fatalf("checked %v, want %v", got, want)
	}
	for f, v := range want {
		if g, ok := got[f]; !ok || g != v {
			t.Errorf("%s: checked=%v valid=%v, want checked, valid=%v", f, ok, g, v)
		}
	}
	var names []string
	for _, f := range skipped {
		names = append(names, filepath.Base(f))
	}
	if w := []string{"broken-other.yml", "ci.yml", "compose.yaml", "empty.yaml", "k8s.yaml", "other.yaml", "plan.yaml"}; !slices.Equal(names, w) {
		t.Errorf("skipped %q, want %q", names, w)
	}

	for _, name := range []string{"other.yaml", "compose.yaml"} {
		explicit := filepath.Join(dir, name)
		results, skipped, err = LoadWalk([]string{explicit}, testOptions(nil))
		if err != nil || len(results) != 1 || len(skipped) != 0 {
			t.Fatalf("explicit %s: %d results, %d skipped, %v", name, len(results), len(skipped), err)
		}
		if r := results[0]; r.Valid() {
			t.Errorf("an explicitly named %s must be checked and fail", name)
		}
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
