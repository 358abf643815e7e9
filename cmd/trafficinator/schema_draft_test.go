package main

import (
	"os"
	"testing"
)

// `schema --draft 7` prints the checked-in draft-07 variant that modelines
// point at; an unknown draft is a usage error.
func TestSchemaDraft7(t *testing.T) {
	want, err := os.ReadFile("../../schema/scenario.v1.draft-07.json")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "schema", "--draft", "7")
	if code != exitOK || stderr != "" || stdout != string(want) {
		t.Errorf("exit %d, stderr %q, stdout is the draft-07 file: %v", code, stderr, stdout == string(want))
	}
	code, stdout, _ = runCLI(t, "schema", "--draft", "2020-12")
	if code != exitOK || stdout == string(want) || len(stdout) == 0 {
		t.Errorf("--draft 2020-12: exit %d", code)
	}
	code, stdout, stderr = runCLI(t, "schema", "--draft", "4")
	if code != exitUsage || stdout != "" || stderr != "trafficinator: --draft \"4\": want 2020-12 or 7\n" {
		t.Errorf("--draft 4: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
