package report_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
)

// CheckOutputs finds, before any traffic, every output that could not be
// written after the run and every output that would overwrite an input,
// and leaves nothing behind.
func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	scen := file("s.yaml", "kind: Scenario\n")
	env := file("x.env", "A=1\n")
	plain := file("plain", "")
	if err := os.Symlink("s.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(env, filepath.Join(dir, "hard.env")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "sublink")); err != nil {
		t.Fatal(err)
	}
	inputs := []report.NamedPath{
		{Name: "the scenario file", Path: scen}, {Name: "--env-file", Path: env},
		{Name: "--resume", Path: filepath.Join(dir, "sub", "state")}, {Name: "--env-file", Path: ""},
	}
	out := func(flag, path string) []report.NamedPath { return []report.NamedPath{{Name: flag, Path: path}} }
	at := func(p string) string { return filepath.Join(dir, p) }
	cases := []struct {
		name    string
		outputs []report.NamedPath
		want    string // "" : accepted
	}{
		{"new file", out("--out", at("r.json")), ""},
		{"existing report", out("--out", plain), ""},
		{"no output", out("--out", ""), ""},
		{"a device", out("--junit", os.DevNull), ""},
		{"missing folder", out("--out", at("nope/r.json")), "--out " + at("nope/r.json") + ": the folder " + at("nope") + " does not exist"},
		{"under a regular file", out("--junit", at("plain/j.xml")), "--junit " + at("plain/j.xml") + ": " + plain + " is not a folder"},
		{"a folder", out("--out", at("sub")), "--out " + at("sub") + ": is a directory, want a file path"},
		{"the scenario file", out("--out", scen), "--out " + scen + " is the scenario file " + scen + ": refusing to overwrite an input, write the output elsewhere"},
		{"the scenario, spelled otherwise", out("--out", at("sub/../s.yaml")), "--out " + at("sub/../s.yaml") + " is the scenario file " + scen + ": refusing to overwrite an input, write the output elsewhere"},
		{"the scenario through a symlink", out("--out", at("link.yaml")), "--out " + at("link.yaml") + " is the scenario file " + scen + ": refusing to overwrite an input, write the output elsewhere"},
		{"the env file through a hard link", out("--junit", at("hard.env")), "--junit " + at("hard.env") + " is --env-file " + env + ": refusing to overwrite an input, write the output elsewhere"},
		{"a missing input through a linked folder", out("--out", at("sublink/state")), "--out " + at("sublink/state") + " is --resume " + at("sub/state") + ": refusing to overwrite an input, write the output elsewhere"},
		{"a journal continues what it resumes", []report.NamedPath{{Name: "--state", Path: at("sub/state"), Continues: "--resume"}}, ""},
		{"two outputs, one file", []report.NamedPath{{Name: "--out", Path: at("r.json")}, {Name: "--junit", Path: at("./r.json")}},
			"--junit " + at("./r.json") + " is the file of --out " + at("r.json") + ": give each output its own file"},
		{"every problem at once", []report.NamedPath{{Name: "--out", Path: scen}, {Name: "--junit", Path: at("nope/j.xml")}},
			"--out " + scen + " is the scenario file " + scen + ": refusing to overwrite an input, write the output elsewhere\n" +
				"--junit " + at("nope/j.xml") + ": the folder " + at("nope") + " does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := report.CheckOutputs(tc.outputs, inputs)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	// The checks create and remove their probe files: nothing is left.
	if got := entries(t, dir); got != "hard.env link.yaml plain s.yaml sub sublink x.env" {
		t.Errorf("folder holds %q", got)
	}
	if got := entries(t, filepath.Join(dir, "sub")); got != "" {
		t.Errorf("sub holds %q", got)
	}
}
