package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/trafficinator/trafficinator/schema"
)

// `trafficinator schema` prints the embedded schema, which is JSON and
// compiles as a JSON Schema that accepts the examples.
func TestSchemaCommand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "schema")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !bytes.Equal([]byte(stdout), schema.ScenarioV1()) {
		t.Errorf("stdout is not the embedded schema")
	}
	if !json.Valid([]byte(stdout)) {
		t.Fatalf("not JSON")
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("scenario.json")
	if err != nil {
		t.Fatalf("does not compile as a JSON Schema: %v", err)
	}
	good := map[string]any{"apiVersion": "trafficinator/v1", "kind": "Scenario", "metadata": map[string]any{"name": "x"},
		"targets": []any{map[string]any{"name": "a", "kind": "sink", "site_id": 1}}}
	if err := sch.Validate(good); err != nil {
		t.Errorf("a minimal scenario is rejected: %v", err)
	}
	if err := sch.Validate(map[string]any{"kind": "Scenario"}); err == nil {
		t.Errorf("a scenario without apiVersion is accepted")
	}
}

func TestExitCodes(t *testing.T) {
	dir := tree(t, map[string]string{"good.yaml": validScenario, "bad.yaml": invalidScenario})
	good, bad := filepath.Join(dir, "good.yaml"), filepath.Join(dir, "bad.yaml")
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string // fragment
	}{
		{"valid file", []string{"validate", good}, exitOK, "1 file(s) checked: 1 valid, 0 invalid"},
		{"valid directory", []string{"validate", examplesDir}, exitOK, " valid, 0 invalid (0 errors, 0 warnings)"},
		{"invalid file", []string{"validate", bad}, exitInvalid, "1 file(s) checked: 0 valid, 1 invalid (1 errors, 0 warnings)"},
		{"one invalid among several", []string{"validate", good, bad}, exitInvalid, "2 file(s) checked: 1 valid, 1 invalid"},
		{"invalid file, json", []string{"validate", "--format", "json", bad}, exitInvalid, ""},
		{"invalid file, github", []string{"validate", "--format", "github", bad}, exitInvalid, ""},
		{"missing path", []string{"validate", filepath.Join(dir, "nope.yaml")}, exitUsage, "nope.yaml: no such file or directory"},
		{"missing path next to a good one", []string{"validate", good, filepath.Join(dir, "nope")}, exitUsage, "no such file or directory"},
		{"no arguments", []string{"validate"}, exitUsage, "validate needs at least one PATH"},
		{"unknown format", []string{"validate", "--format", "xml", good}, exitUsage, `unknown --format "xml"`},
		{"unknown format after the path", []string{"validate", good, "--format", "yaml"}, exitUsage, `unknown --format "yaml"`},
		{"unknown flag", []string{"validate", "--lenient", good}, exitUsage, "flag provided but not defined: --lenient"},
		{"missing env file", []string{"validate", "--env-file", filepath.Join(dir, "no.env"), good}, exitUsage, "no.env: error: no such file or directory"},
	}
	setExampleSecrets(t, exampleFiles(t)) // the examples' tokens: only apply needs them
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.stderr)
			}
		})
	}
}

// Flags may follow positional arguments: the output is byte-identical to
// the flags-first form, and so is the exit code.
func TestFlagsAfterPositionalArgs(t *testing.T) {
	dir := tree(t, map[string]string{"bad.yaml": invalidScenario, "good.yaml": validScenario})
	envFile := tree(t, map[string]string{".env": "X=1\n"})
	env := filepath.Join(envFile, ".env")
	setExampleSecrets(t, exampleFiles(t)) // the examples' tokens: only apply needs them
	pairs := [][2][]string{
		{{"validate", "--format", "json", examplesDir}, {"validate", examplesDir, "--format", "json"}},
		{{"validate", "--format", "github", examplesDir}, {"validate", examplesDir, "--format", "github"}},
		{{"validate", "--format", "text", examplesDir}, {"validate", examplesDir, "--format", "text"}},
		{{"validate", "--format=json", dir}, {"validate", dir, "--format=json"}},
		{{"validate", "-f", "json", dir}, {"validate", dir, "-f", "json"}},
		{{"validate", "--format", "github", "--env-file", env, dir}, {"validate", dir, "--env-file", env, "--format", "github"}},
		{{"validate", "--format", "json", examplesDir, dir}, {"validate", examplesDir, "--format", "json", dir}},
		{{"validate", "--format", "xml", dir}, {"validate", dir, "--format", "xml"}},
	}
	for _, p := range pairs {
		t.Run(strings.Join(p[1], " "), func(t *testing.T) {
			code1, out1, err1 := runCLI(t, p[0]...)
			code2, out2, err2 := runCLI(t, p[1]...)
			if code1 != code2 || out1 != out2 || err1 != err2 {
				t.Errorf("flags first: exit %d\n%s%s\nflags last: exit %d\n%s%s", code1, out1, err1, code2, out2, err2)
			}
		})
	}
	// And the json output is what the flag asked for (the examples have
	// no diagnostic; the bad file has one).
	_, out, _ := runCLI(t, "validate", examplesDir, "--format", "json", dir)
	var diags []map[string]any
	if err := json.Unmarshal([]byte(out), &diags); err != nil || len(diags) != 1 {
		t.Fatalf("json output %q: %v", out, err)
	}
}

// "--" ends the flags: what follows is a path even if it starts with "-".
func TestDoubleDashEndsFlags(t *testing.T) {
	dir := tree(t, map[string]string{"-odd.yaml": validScenario})
	t.Chdir(dir)
	code, stdout, stderr := runCLI(t, "validate", "--format", "json", "--", "-odd.yaml")
	if code != exitOK || stdout != "[]\n" || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--version"}, currentVersion().text()},
		{[]string{"-v"}, currentVersion().text()},
		{[]string{"--help"}, "trafficinator [global options] command [command options]"},
		{[]string{"-h"}, "COMMANDS:"},
		{[]string{"validate", "--help"}, "trafficinator validate [command options] PATH..."},
		{[]string{"validate", "-h"}, "--env-file FILE"},
		{[]string{"schema", "--help"}, "trafficinator schema"},
		{[]string{"schema", "-h"}, "print the JSON Schema of scenario files"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitOK || !strings.Contains(stdout, tc.want) || stderr != "" {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant stdout containing %q", code, stdout, stderr, tc.want)
			}
		})
	}
	// The global help lists every command.
	_, stdout, _ := runCLI(t, "--help")
	for _, c := range commands() {
		if !strings.Contains(stdout, "   "+c.Name+" ") {
			t.Errorf("--help does not list %s:\n%s", c.Name, stdout)
		}
	}
}
