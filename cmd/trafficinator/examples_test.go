package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// exampleFiles lists every scenario under examples/, recursively, as paths
// relative to this package.
func exampleFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(examplesDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if regexp.MustCompile(`(?m)^apiVersion: trafficinator/`).Match(data) {
				files = append(files, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// envRef is a ${VAR} without a default: a secret the environment gives.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// setExampleSecrets gives every ${VAR} the examples read a dummy value, so
// that validate and plan see complete scenarios whatever they make of
// unset variables.
func setExampleSecrets(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range envRef.FindAllStringSubmatch(string(data), -1) {
			t.Setenv(m[1], "dummy-"+strings.ToLower(m[1]))
		}
	}
}

// The examples are the layout a team copies: presets, a multi-target
// scenario, a backfill and funnels, all under examples/scenarios/.
func TestExamplesLayout(t *testing.T) {
	var got []string
	for _, f := range exampleFiles(t) {
		rel, _ := filepath.Rel(examplesDir, f)
		got = append(got, filepath.ToSlash(rel))
	}
	for _, want := range []string{"quickstart.yaml", "reference.yaml", "scenarios/light.yaml", "scenarios/medium.yaml",
		"scenarios/heavy.yaml", "scenarios/extreme.yaml", "scenarios/multi-target.yaml", "scenarios/backfill.yaml",
		"scenarios/funnels.yaml"} {
		if !slices.Contains(got, want) {
			t.Errorf("examples/%s is missing (have %v)", want, got)
		}
	}
}

// `validate examples/` passes with no warning at all.
func TestValidateExamples(t *testing.T) {
	files := exampleFiles(t)
	setExampleSecrets(t, files)
	code, stdout, stderr := runCLI(t, "validate", examplesDir)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Files beside the scenarios that are not scenarios (compose files, CI
	// workflows) may add a word about being skipped; the count is of the
	// scenarios.
	want := fmt.Sprintf("%d file(s) checked: %d valid, 0 invalid (0 errors, 0 warnings)", len(files), len(files))
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr: %q, want %q", stderr, want)
	}
}

// Each example validates on its own with no diagnostic, and plans.
func TestEachExampleValidatesAndPlans(t *testing.T) {
	files := exampleFiles(t)
	setExampleSecrets(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "validate", f)
			if code != exitOK || stdout != "" || stderr != "1 file(s) checked: 1 valid, 0 invalid (0 errors, 0 warnings)\n" {
				t.Fatalf("validate: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			code, stdout, stderr = runCLI(t, "plan", "--format", "json", f)
			if code != exitOK {
				t.Fatalf("plan: exit %d\nstderr:\n%s", code, stderr)
			}
			var plan struct {
				Name     string `json:"name"`
				Expected struct {
					Visits float64 `json:"visits"`
				} `json:"expected"`
			}
			if err := json.Unmarshal([]byte(stdout), &plan); err != nil {
				t.Fatalf("plan JSON: %v\n%s", err, stdout)
			}
			if plan.Name != exampleName(t, f) || plan.Expected.Visits < 1 {
				t.Errorf("plan of %q expects %v visits, want scenario %q and at least one visit", plan.Name, plan.Expected.Visits, exampleName(t, f))
			}
		})
	}
}

// exampleDoc decodes an example as plain YAML.
func exampleDoc(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

func exampleName(t *testing.T, path string) string {
	return exampleDoc(t, path)["metadata"].(map[string]any)["name"].(string)
}

// allSink reports whether every target of a scenario is the built-in sink:
// such an example sends nothing anywhere and may be applied in tests.
func allSink(doc map[string]any) bool {
	targets, _ := doc["targets"].([]any)
	for _, tg := range targets {
		if m, _ := tg.(map[string]any); m["kind"] != "sink" {
			return false
		}
	}
	return len(targets) > 0
}

// The examples whose targets are all sinks run, briefly, and every hit
// they send is accepted.
func TestSinkExamplesApply(t *testing.T) {
	bin := builtBinary(t)
	var sinkOnly []string
	for _, f := range exampleFiles(t) {
		if allSink(exampleDoc(t, f)) {
			sinkOnly = append(sinkOnly, f)
		}
	}
	for _, want := range []string{"quickstart.yaml", "light.yaml", "medium.yaml", "heavy.yaml", "extreme.yaml", "funnels.yaml"} {
		if !slices.ContainsFunc(sinkOnly, func(f string) bool { return filepath.Base(f) == want }) {
			t.Errorf("%s is not an all-sink example (all-sink: %v)", want, sinkOnly)
		}
	}
	for _, f := range sinkOnly {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "report.json")
			cmd := exec.Command(bin, "apply", f, "--duration", "2s", "--max-visits", "2", "--seed", "3", "--out", out, "--format", "json")
			cmd.Env = append(os.Environ(), "NO_COLOR=1")
			stdout, err := cmd.Output()
			if err != nil {
				t.Fatalf("apply: %v\nstdout:\n%s", err, stdout)
			}
			var rep struct {
				Run struct {
					Outcome  string `json:"outcome"`
					ExitCode int    `json:"exit_code"`
				} `json:"run"`
				Targets []struct {
					Kind     string         `json:"kind"`
					Counters map[string]any `json:"counters"`
				} `json:"targets"`
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Run.Outcome != "passed" || rep.Run.ExitCode != 0 || len(rep.Targets) == 0 {
				t.Fatalf("outcome %q, exit %d, %d targets", rep.Run.Outcome, rep.Run.ExitCode, len(rep.Targets))
			}
			for _, tg := range rep.Targets {
				c := func(k string) float64 { n, _ := tg.Counters[k].(float64); return n }
				if tg.Kind != "sink" || c("visits") < 1 || c("visits") > 2 || c("ok") == 0 || c("ok") != c("hits") || c("rejected")+c("failed")+c("unknown")+c("unsent") != 0 {
					t.Errorf("target %s: counters %v, want 1 or 2 visits (--max-visits 2) and every hit ok", tg.Kind, tg.Counters)
				}
			}
		})
	}
}

// legacyPreset writes the legacy .env of a preset from the legacy tool's
// own preset table (scenario/internal/legacy/testdata/presets.tsv).
func legacyPreset(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open("../../scenario/internal/legacy/testdata/presets.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	col := -1
	var env strings.Builder
	for sc.Scan() {
		row := strings.Split(sc.Text(), "\t")
		if col < 0 {
			col = slices.Index(row, "preset_"+name)
			if col < 0 {
				t.Fatalf("presets.tsv has no preset_%s column", name)
			}
			continue
		}
		switch v := row[col]; v {
		case "(unset)":
		case "(empty)":
			fmt.Fprintf(&env, "%s=\n", row[0])
		default:
			fmt.Fprintf(&env, "%s=%s\n", row[0], v)
		}
	}
	// A token, as a legacy deployment that sends countries has: migrate
	// turns geo off for a target without one (it could send no cip).
	env.WriteString("MATOMO_TOKEN_AUTH=0123456789abcdef0123456789abcdef\n")
	path := filepath.Join(t.TempDir(), name+".env")
	if err := os.WriteFile(path, []byte(env.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Each preset is the legacy preset of its name: `migrate` of the legacy
// tool's preset gives the same rate, concurrency, timezone and traffic
// (pageviews, pauses, visit durations, sources, every probability). The
// preset adds a duration, since the legacy presets ran until stopped, and
// runs on the built-in sink.
func TestPresetsAreTheLegacyPresets(t *testing.T) {
	for _, name := range []string{"light", "medium", "heavy", "extreme"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), name+".yaml")
			if code, _, stderr := runCLI(t, "migrate", legacyPreset(t, name), "-o", out); code != exitOK {
				t.Fatalf("migrate: exit %d\n%s", code, stderr)
			}
			migrated := exampleDoc(t, out)
			preset := exampleDoc(t, filepath.Join(examplesDir, "scenarios", name+".yaml"))
			mRun, pRun := migrated["run"].(map[string]any), preset["run"].(map[string]any)
			for _, k := range []string{"rate", "concurrency", "timezone"} {
				if !reflect.DeepEqual(mRun[k], pRun[k]) {
					t.Errorf("run.%s = %v, the legacy preset has %v", k, pRun[k], mRun[k])
				}
			}
			if !reflect.DeepEqual(migrated["traffic"], preset["traffic"]) {
				t.Errorf("traffic differs from the legacy preset:\npreset: %v\nlegacy: %v", preset["traffic"], migrated["traffic"])
			}
			if pRun["duration"] == nil {
				t.Errorf("the preset has no run.duration")
			}
			if preset["metadata"].(map[string]any)["name"] != name {
				t.Errorf("metadata.name = %v", preset["metadata"])
			}
		})
	}
}
