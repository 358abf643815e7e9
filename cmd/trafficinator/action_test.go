package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The GitHub Action (action.yml) runs .github/action/run.sh; these tests
// run that script as a runner would, with temporary GITHUB_STEP_SUMMARY,
// GITHUB_OUTPUT and GITHUB_PATH files, and check what it leaves in them.

const (
	actionFile   = "../../action.yml"
	actionScript = "../../.github/action/run.sh"
	// allSinkExample is an example whose targets are all kind: sink, so
	// that a test may apply it.
	allSinkExample = examplesDir + "/quickstart.yaml"
)

// actionRun is what one run of the action's script left behind.
type actionRun struct {
	code            int
	stdout, summary string
	outputs         map[string]string
	path            string // GITHUB_PATH
	dir             string // the working directory
}

// runAction runs the script in a new working directory with env (the
// INPUT_* variables) on top of the test's environment.
func runAction(t *testing.T, env map[string]string) actionRun {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the action's script is bash; Windows runners run it with Git Bash, not tested here")
	}
	script, err := filepath.Abs(actionScript)
	if err != nil {
		t.Fatal(err)
	}
	dir, tmp := t.TempDir(), t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_PATH"} {
		files[name] = filepath.Join(tmp, strings.ToLower(name))
		if err := os.WriteFile(files[name], nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp)
	for k, v := range files {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stdout
	err = cmd.Run()
	run := actionRun{stdout: stdout.String(), outputs: map[string]string{}, dir: dir}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		run.code = exitErr.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(files[name])
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	run.summary, run.path = read("GITHUB_STEP_SUMMARY"), read("GITHUB_PATH")
	for _, line := range strings.Split(strings.TrimSuffix(read("GITHUB_OUTPUT"), "\n"), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if _, dup := run.outputs[k]; !ok || dup {
			t.Fatalf("GITHUB_OUTPUT line %q", line)
		}
		run.outputs[k] = v
	}
	return run
}

func absPath(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// A passing run of an all-sink example: exit 0, the report as markdown in
// the summary, JUnit and the JSON report written, the outputs set, and
// apply given the args.
func TestActionAppliesAndSummarises(t *testing.T) {
	bin := builtBinary(t)
	example := absPath(t, allSinkExample)
	run := runAction(t, map[string]string{
		"INPUT_BINARY": bin, "INPUT_VALIDATE": example, "INPUT_APPLY": example,
		"INPUT_ARGS": "--duration 2s --seed 3", "INPUT_JUNIT": "out/junit.xml",
	})
	if run.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", run.code, run.stdout)
	}
	want := map[string]string{"binary": bin, "exit-code": "0", "report": "trafficinator-report.json"}
	if !maps.Equal(run.outputs, want) {
		t.Errorf("outputs %v, want %v", run.outputs, want)
	}
	if run.path != filepath.Dir(bin)+"\n" {
		t.Errorf("GITHUB_PATH %q", run.path)
	}
	for _, line := range []string{
		"### Trafficinator: quickstart PASSED\n",
		"\n| target | health | visits | sent | ok | rejected | failed | unknown | unsent | dropped hits | error rate | p95 ms |\n",
		"\n| local | healthy | ",
		"\n| **total** |  | ",
		"\nPolicies: none fired.\n",
	} {
		if !strings.Contains(run.summary, line) {
			t.Errorf("summary lacks %q:\n%s", line, run.summary)
		}
	}
	if !strings.Contains(run.summary, ", seed 3, ") {
		t.Errorf("apply did not get --seed 3:\n%s", run.summary)
	}
	rep := decodeReport(t, string(mustRead(t, filepath.Join(run.dir, "trafficinator-report.json"))))
	if rep.Run.Outcome != "passed" || rep.Run.Seed != 3 || rep.Run.DurationS > 10 {
		t.Errorf("report: %+v", rep.Run)
	}
	junit, err := os.ReadFile(filepath.Join(run.dir, "out", "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if s := parseJUnit(t, junit); len(s.Suites) != 1 || s.Suites[0].Name != "quickstart" || s.Suites[0].Failures != 0 {
		t.Errorf("JUnit %+v", s)
	}
	if !strings.Contains(run.stdout, "::group::trafficinator validate "+example+"\n") || strings.Contains(run.stdout, "::error") {
		t.Errorf("stdout:\n%s", run.stdout)
	}
}

// A scenario whose policy fails (live or at the end, as the run's timing
// has it): the step fails with apply's exit code 1,
// the outputs and the summary say so.
func TestActionFailsOnTheExitCode(t *testing.T) {
	bin := builtBinary(t)
	dir := tree(t, map[string]string{"failing.yaml": strings.Replace(passingScenario, "action: warn", "action: fail", 1)})
	scenario := filepath.Join(dir, "failing.yaml")
	run := runAction(t, map[string]string{"INPUT_BINARY": bin, "INPUT_VALIDATE": dir, "INPUT_APPLY": scenario})
	if run.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", run.code, run.stdout)
	}
	if run.outputs["exit-code"] != "1" || run.outputs["report"] != "trafficinator-report.json" {
		t.Errorf("outputs %v", run.outputs)
	}
	if !strings.HasPrefix(run.summary, "### Trafficinator: formats FAILED\n") ||
		!regexp.MustCompile("\n\\| (end|[0-9]+s) \\| any-hit \\| \\(run\\) \\| fail \\| `hits > 0` \\| hits=[0-9]+ \\|").MatchString(run.summary) {
		t.Errorf("summary:\n%s", run.summary)
	}
	if s := parseJUnit(t, mustRead(t, filepath.Join(run.dir, "trafficinator-junit.xml"))); len(s.Suites) != 1 || s.Suites[0].Failures == 0 {
		t.Errorf("JUnit %+v", s)
	}
	if !strings.Contains(run.stdout, "::error title=trafficinator::exit code 1\n") {
		t.Errorf("no error annotation for the exit code:\n%s", run.stdout)
	}
}

// An invalid scenario: annotations at the error's line and column,
// validate's exit code 1, and nothing applied.
func TestActionAnnotatesAnInvalidScenario(t *testing.T) {
	bin := builtBinary(t)
	dir := tree(t, map[string]string{"bad.yaml": invalidScenario})
	bad := filepath.Join(dir, "bad.yaml")
	sarif := filepath.Join(t.TempDir(), "v.sarif")
	run := runAction(t, map[string]string{"INPUT_BINARY": bin, "INPUT_VALIDATE": dir, "INPUT_APPLY": bad, "INPUT_SARIF": sarif})
	if run.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", run.code, run.stdout)
	}
	if want := "::error file=" + bad + ",line=11,col=14::"; !strings.Contains(run.stdout, want) {
		t.Errorf("no annotation %q:\n%s", want, run.stdout)
	}
	if run.outputs["exit-code"] != "1" || run.outputs["report"] != "" {
		t.Errorf("outputs %v", run.outputs)
	}
	if !strings.HasPrefix(run.summary, "### Trafficinator: validation FAILED\n") {
		t.Errorf("summary:\n%s", run.summary)
	}
	if _, err := os.Stat(filepath.Join(run.dir, "trafficinator-report.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("apply ran: %v", err)
	}
	if data := string(mustRead(t, sarif)); !strings.Contains(data, `"ruleId": "/targets/*/site_id"`) || !strings.Contains(data, `"startLine": 11`) {
		t.Errorf("SARIF:\n%s", data)
	}
}

// Without a binary, the action downloads the release asset of this OS and
// architecture, checks it against SHA256SUMS and refuses a mismatch.
// "latest" is the tag the releases/latest page redirects to. The server is
// the test's own, in place of GitHub.
func TestActionDownloadsTheRelease(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		if _, err := exec.LookPath("wget"); err != nil {
			t.Skip("neither curl nor wget")
		}
	}
	bin := builtBinary(t)
	data := mustRead(t, bin)
	asset := fmt.Sprintf("trafficinator_v9.8.7_%s_%s", runtime.GOOS, runtime.GOARCH)
	sum := sha256.Sum256(data)
	sums := hex.EncodeToString(sum[:]) + "  " + asset + "\n"
	// The handler runs on the server's goroutines: mu orders its reads
	// and writes with the test's (the race detector sees no order in the
	// requests themselves).
	var (
		mu       sync.Mutex
		requests []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests = append(requests, r.Method+" "+r.URL.Path)
		switch r.URL.Path {
		case "/releases/latest":
			http.Redirect(w, r, "/releases/tag/v9.8.7", http.StatusFound)
		case "/releases/tag/v9.8.7":
			w.WriteHeader(http.StatusOK)
		case "/releases/download/v9.8.7/" + asset:
			_, _ = w.Write(data)
		case "/releases/download/v9.8.7/SHA256SUMS":
			_, _ = w.Write([]byte(sums))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	example := absPath(t, allSinkExample)
	env := map[string]string{"TRAFFICINATOR_DOWNLOAD_BASE": srv.URL + "/releases", "INPUT_VALIDATE": example,
		"RUNNER_OS": map[string]string{"linux": "Linux", "darwin": "macOS"}[runtime.GOOS], "RUNNER_ARCH": map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]}
	run := runAction(t, env)
	if run.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", run.code, run.stdout)
	}
	installed := run.outputs["binary"]
	if !strings.HasSuffix(installed, "/trafficinator-action/bin/trafficinator") || !bytes.Equal(mustRead(t, installed), data) {
		t.Errorf("installed %q", installed)
	}
	if run.outputs["exit-code"] != "0" || run.outputs["report"] != "" || run.summary != "" {
		t.Errorf("outputs %v, summary %q", run.outputs, run.summary)
	}
	mu.Lock()
	if !slices.Contains(requests, "GET /releases/download/v9.8.7/"+asset) {
		t.Errorf("requests %v", requests)
	}
	sums = strings.Repeat("0", 64) + "  " + asset + "\n"
	mu.Unlock()
	run = runAction(t, env)
	if run.code != 2 || run.outputs["exit-code"] != "2" || !strings.Contains(run.stdout, "::error title=trafficinator action::checksum mismatch for "+asset) {
		t.Errorf("a wrong checksum: exit %d\n%s", run.code, run.stdout)
	}
	env["INPUT_VERSION"] = "v0.0.1"
	run = runAction(t, env)
	if run.code != 2 || !strings.Contains(run.stdout, "::error title=trafficinator action::cannot download trafficinator_v0.0.1_") {
		t.Errorf("a missing release: exit %d\n%s", run.code, run.stdout)
	}
}

// Every INPUT_* variable the script reads is an input of action.yml that
// the step passes on, and every input is passed on; the step runs the
// script.
func TestActionInputsAreTheScriptsInputs(t *testing.T) {
	var action struct {
		Inputs  map[string]struct{ Description, Default string }
		Outputs map[string]struct{ Value string }
		Runs    struct {
			Using string
			Steps []struct {
				ID, Shell, Run string
				Env            map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(mustRead(t, actionFile), &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" || len(action.Runs.Steps) != 1 {
		t.Fatalf("runs: %+v", action.Runs)
	}
	step := action.Runs.Steps[0]
	if step.Shell != "bash" || step.Run != `bash "$GITHUB_ACTION_PATH/.github/action/run.sh"` {
		t.Errorf("step %+v", step)
	}
	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{?(INPUT_[A-Z_]+)`).FindAllStringSubmatch(string(mustRead(t, actionScript)), -1) {
		read[m[1]] = true
	}
	for v := range read {
		name := strings.ToLower(strings.TrimPrefix(v, "INPUT_"))
		if _, ok := action.Inputs[name]; !ok {
			t.Errorf("the script reads %s, action.yml has no input %q", v, name)
		}
	}
	for name, in := range action.Inputs {
		v := "INPUT_" + strings.ToUpper(name)
		if step.Env[v] != "${{ inputs."+name+" }}" {
			t.Errorf("input %s is passed as %s=%q", name, v, step.Env[v])
		}
		if !read[v] {
			t.Errorf("input %s is never read by the script", name)
		}
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	for _, name := range []string{"exit-code", "report", "binary"} {
		if action.Outputs[name].Value != "${{ steps.run.outputs."+name+" }}" || step.ID != "run" {
			t.Errorf("output %s: %+v", name, action.Outputs[name])
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Every YAML block of docs/ci.md parses, and the action's steps there use
// only inputs that action.yml declares.
func TestCIRecipesUseTheActionsInputs(t *testing.T) {
	var action struct{ Inputs map[string]any }
	if err := yaml.Unmarshal(mustRead(t, actionFile), &action); err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(mustRead(t, "../../docs/ci.md")), -1)
	if len(blocks) != 4 {
		t.Fatalf("%d YAML blocks in docs/ci.md, want 4 (the action, GitHub without it, the shard matrix, GitLab)", len(blocks))
	}
	uses := 0
	for i, b := range blocks {
		var doc struct {
			Jobs map[string]struct {
				Steps []struct {
					Uses string
					With map[string]any
				}
			}
		}
		if err := yaml.Unmarshal([]byte(b[1]), &doc); err != nil {
			t.Errorf("block %d: %v", i+1, err)
			continue
		}
		for _, job := range doc.Jobs {
			for _, step := range job.Steps {
				if !strings.HasPrefix(step.Uses, "trafficinator/trafficinator@") {
					continue
				}
				uses++
				for k := range step.With {
					if _, ok := action.Inputs[k]; !ok {
						t.Errorf("docs/ci.md gives the action an input %q that action.yml lacks", k)
					}
				}
			}
		}
	}
	if uses != 1 {
		t.Errorf("the action is used %d times in docs/ci.md, want 1", uses)
	}
}
