package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The GitHub Actions example (examples/ci) is decoded with known fields
// only, so that a misspelt key (runs_on, need) fails here: GitHub would
// refuse the workflow, or worse, ignore the key.

var ciWorkflow = filepath.Join(examplesDir, "ci", "sharded-backfill.yml")

type workflow struct {
	Name        string            `yaml:"name"`
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]ciJob  `yaml:"jobs"`
}

type ciJob struct {
	RunsOn   string    `yaml:"runs-on"`
	Needs    needsList `yaml:"needs"`
	If       string    `yaml:"if"`
	Strategy struct {
		FailFast *bool            `yaml:"fail-fast"`
		Matrix   map[string][]int `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []ciStep `yaml:"steps"`
}

type ciStep struct {
	Name            string            `yaml:"name"`
	If              string            `yaml:"if"`
	Uses            string            `yaml:"uses"`
	Run             string            `yaml:"run"`
	With            map[string]string `yaml:"with"`
	Env             map[string]string `yaml:"env"`
	ContinueOnError bool              `yaml:"continue-on-error"`
}

// needsList takes needs as GitHub does: one job name or a list. (Only
// this field has its own decoding: a type with UnmarshalYAML is decoded
// without the decoder's KnownFields.)
type needsList []string

func (l *needsList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = needsList{n.Value}
		return nil
	}
	return n.Decode((*[]string)(l))
}

func decodeWorkflow(t *testing.T, file string) workflow {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var wf workflow
	if err := dec.Decode(&wf); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return wf
}

// findStep returns the first of steps that match.
func findStep(steps []ciStep, match func(ciStep) bool) (ciStep, bool) {
	i := slices.IndexFunc(steps, match)
	if i < 0 {
		return ciStep{}, false
	}
	return steps[i], true
}

// uses matches a step that uses action (owner/name) at any version.
func uses(action string) func(ciStep) bool {
	return func(s ciStep) bool { return strings.HasPrefix(s.Uses, action+"@") }
}

// runs matches a step whose command line contains command.
func runs(command string) func(ciStep) bool {
	return func(s ciStep) bool { return strings.Contains(s.Run, command) }
}

// TestCIMatrixShards: one job per shard, 0…n-1 with n = SHARDS, each
// applying its shard of the run with the workflow run's id and uploading
// its report.
func TestCIMatrixShards(t *testing.T) {
	wf := decodeWorkflow(t, ciWorkflow)
	if _, ok := wf.On["workflow_dispatch"]; !ok || wf.Permissions["contents"] != "read" {
		t.Errorf("on %v, permissions %v: want workflow_dispatch and contents: read", wf.On, wf.Permissions)
	}
	n, err := strconv.Atoi(wf.Env["SHARDS"])
	if err != nil || n < 2 {
		t.Fatalf("env SHARDS %q, want a count of at least 2", wf.Env["SHARDS"])
	}
	if _, err := os.Stat(filepath.Join("../..", wf.Env["SCENARIO"])); err != nil {
		t.Errorf("env SCENARIO: %v", err)
	}
	job, ok := wf.Jobs["shard"]
	if !ok {
		t.Fatalf("jobs %v, want shard", slices.Sorted(maps.Keys(wf.Jobs)))
	}
	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	if got := job.Strategy.Matrix["shard"]; !slices.Equal(got, want) {
		t.Errorf("matrix shard %v, want %v (SHARDS=%d)", got, want, n)
	}
	if job.Strategy.FailFast == nil || *job.Strategy.FailFast {
		t.Errorf("fail-fast must be false: the other shards finish and the merge names the missing one")
	}
	apply, ok := findStep(job.Steps, runs("trafficinator apply"))
	if !ok {
		t.Fatal("no step runs trafficinator apply")
	}
	for _, arg := range []string{"--shard ${{ matrix.shard }}/${{ env.SHARDS }}", "--run-id ${{ github.run_id }}",
		"--out reports/shard-${{ matrix.shard }}.json", `"$SCENARIO"`} {
		if !strings.Contains(apply.Run, arg) {
			t.Errorf("apply step %q lacks %q", apply.Run, arg)
		}
	}
	if apply.Env["MATOMO_TOKEN"] != "${{ secrets.MATOMO_TOKEN }}" {
		t.Errorf("apply step env %v, want MATOMO_TOKEN from the repository's secrets", apply.Env)
	}
	upload, ok := findStep(job.Steps, uses("actions/upload-artifact"))
	if !ok || upload.With["name"] != "report-shard-${{ matrix.shard }}" || upload.With["path"] != "reports/" || upload.If != "always()" {
		t.Errorf("upload step %+v, want report-shard-${{ matrix.shard }} from reports/, always()", upload)
	}
}

// TestCIMergeGates: the merge job runs after every shard, even a failed
// one, downloads all their reports and fails on `report merge`'s exit code.
func TestCIMergeGates(t *testing.T) {
	wf := decodeWorkflow(t, ciWorkflow)
	job, ok := wf.Jobs["merge"]
	if !ok {
		t.Fatal("no merge job")
	}
	if !slices.Equal([]string(job.Needs), []string{"shard"}) || job.If != "always()" {
		t.Errorf("merge needs %v if %q, want [shard] and always()", job.Needs, job.If)
	}
	download, ok := findStep(job.Steps, uses("actions/download-artifact"))
	if !ok || download.With["pattern"] != "report-shard-*" || download.With["path"] != "reports" || download.With["merge-multiple"] != "true" {
		t.Errorf("download step %+v, want every report-shard-* into reports", download)
	}
	merge, ok := findStep(job.Steps, runs("trafficinator report merge"))
	if !ok {
		t.Fatal("no step runs trafficinator report merge")
	}
	if merge.Run != "trafficinator report merge --out merged.json reports/shard-*.json" || merge.ContinueOnError || merge.If != "" {
		t.Errorf("merge step %+v: its exit code must gate the job (no || true, continue-on-error or if)", merge)
	}
	if slices.IndexFunc(job.Steps, runs("report merge")) < slices.IndexFunc(job.Steps, uses("actions/download-artifact")) {
		t.Error("the merge runs before the reports are downloaded")
	}
}
