package main

import (
	"bytes"
	"os"
	"testing"
	"testing/fstest"
)

// runCLI runs the command line in-process and returns the exit code and
// what was written to stdout and stderr.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"trafficinator"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

const examplesDir = "../../examples"

// scenarioHead is a valid scenario up to its targets (lines 1-7); tests
// append a targets block from line 8.
const scenarioHead = "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata:\n  name: t\nrun:\n  rate: 1/s\n  duration: 1m\n"

const validScenario = scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: 1\n"

// invalidScenario has one error: site_id 0 at 11:14.
const invalidScenario = scenarioHead + "targets:\n  - name: a\n    kind: sink\n    site_id: 0\n"

// tree creates files (slash-separated relative path → content) under a
// fresh temporary folder and returns the folder.
func tree(t testing.TB, files map[string]string) string {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	return dir
}
