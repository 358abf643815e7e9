package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fileKindScenario sends visits to a kind: file target writing path, with
// a token that must never show.
func fileKindScenario(path string) string {
	return "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata:\n  name: offline\nrun:\n  rate: 100/s\n  max_visits: 12\n  seed: 5\n" +
		"targets:\n  - name: disk\n    kind: file\n    url: file:" + path + "\n    site_id: 2\n    token_auth: s3cr3t-t0ken-cli\n" +
		"traffic:\n  pause: {min: 0s, max: 0s}\n"
}

// TestFileKindValidatePlanApply: validate, plan and apply handle a kind:
// file target like any other; apply writes one JSON line per hit.
func TestFileKindValidatePlanApply(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "hits.jsonl")
	file := filepath.Join(dir, "offline.yaml")
	if err := os.WriteFile(file, []byte(fileKindScenario(out)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "validate", file); code != exitOK || !strings.Contains(stdout+stderr, "1 file(s) checked: 1 valid") {
		t.Fatalf("validate: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr := runCLI(t, "plan", file)
	if code != exitOK || !strings.Contains(stdout, "file:"+out) {
		t.Fatalf("plan: exit %d, endpoint file:%s not shown\n%s%s", code, out, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "apply", file, "--format", "json")
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	var rep struct {
		Total struct {
			Counters struct{ OK int64 } `json:"counters"`
		} `json:"total"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("apply --format json: %v\n%s", err, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if int64(len(lines)) != rep.Total.Counters.OK || len(lines) < 12 {
		t.Errorf("%d lines, the report counts %d hits OK", len(lines), rep.Total.Counters.OK)
	}
	visits := map[float64]bool{}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil || m["target"] != "disk" {
			t.Fatalf("line %d: %v %s", i+1, err, l)
		}
		visits[m["visit"].(float64)] = true
	}
	if len(visits) != 12 {
		t.Errorf("%d visits in the file, want 12", len(visits))
	}
	for _, s := range []string{stdout, stderr, string(data)} {
		if strings.Contains(s, "s3cr3t-t0ken-cli") {
			t.Error("the token leaked")
		}
	}
}

// TestFileKindFolderNotWritable: a file target whose folder does not exist
// fails its preflight: apply exits 3 before any traffic and creates nothing.
func TestFileKindFolderNotWritable(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "missing", "hits.jsonl")
	file := filepath.Join(dir, "offline.yaml")
	if err := os.WriteFile(file, []byte(fileKindScenario(out)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "apply", file)
	if code != exitNoStart || !strings.Contains(stderr, "folder "+filepath.Join(dir, "missing")+" is not writable: no such file or directory") {
		t.Fatalf("apply: exit %d, want %d\n%s", code, exitNoStart, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("apply created the folder: %v", err)
	}
}

// TestFileKindChecksItsURL: validate asks the kind, which points at the
// url's line and column.
func TestFileKindChecksItsURL(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(file, []byte(scenarioHead+"targets:\n  - name: a\n    kind: file\n    url: hits.jsonl\n    site_id: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "validate", file)
	want := file + ":11:10: error: a kind: file target's url must be file:PATH (at /targets/0/url)"
	if code != exitInvalid || !strings.Contains(stdout+stderr, want) {
		t.Fatalf("validate: exit %d, want %d and %q\n%s%s", code, exitInvalid, want, stdout, stderr)
	}
}
