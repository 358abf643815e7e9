package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The acceptance test of the version: in a tagged copy of this source tree,
// `make build` and `go install ./cmd/trafficinator` both give a binary whose
// `version --format json` names the tag and the commit. The two builds share
// the build cache, so the second costs a link.
func TestVersionOfBuildsFromATaggedCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary twice")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	// A v0 or v1 tag: the module path has no /vN suffix, so the Go
	// toolchain stamps a v2+ tag as a pseudo-version (make build's git
	// describe would still name it).
	const tag = "v1.8.7"
	dir := taggedCopy(t, git, tag)
	head := strings.TrimSpace(cmdOutput(t, dir, nil, git, "rev-parse", "HEAD"))
	goEnv := []string{"GOFLAGS=-buildvcs=true", "GOTOOLCHAIN=local", "GOPROXY=off"}

	// go install first: make build's bin/ is ignored by .gitignore, but
	// the order keeps the checkout clean whatever the ignore rules.
	gobin := t.TempDir()
	cmdOutput(t, dir, append(goEnv, "GOBIN="+gobin), goCommand(), "install", "./cmd/trafficinator")
	checkBuiltVersion(t, "go install", filepath.Join(gobin, "trafficinator"), tag, "module", head)

	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed: make build not checked")
	}
	cmdOutput(t, dir, append(goEnv, "GO="+goCommand()), "make", "build")
	checkBuiltVersion(t, "make build", filepath.Join(dir, "bin", "trafficinator"), tag, "ldflags", head)
}

func checkBuiltVersion(t *testing.T, how, bin, wantVersion, wantSource, wantCommit string) {
	t.Helper()
	var v versionInfo
	out := cmdOutput(t, "", nil, bin, "version", "--format", "json")
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s: version --format json: %v\n%s", how, err, out)
	}
	if v.Version != wantVersion || v.Source != wantSource || v.Commit != wantCommit || v.Modified {
		t.Errorf("%s: version %q source %q commit %q modified %v, want %q %q %q false",
			how, v.Version, v.Source, v.Commit, v.Modified, wantVersion, wantSource, wantCommit)
	}
	text := cmdOutput(t, "", nil, bin, "--version")
	if want := "trafficinator version " + wantVersion + " (commit " + wantCommit + ", "; !strings.HasPrefix(text, want) {
		t.Errorf("%s: --version %q, want it to start with %q", how, text, want)
	}
}

// taggedCopy copies the files of this checkout (tracked, and new ones not
// ignored, as they are in the working tree) into a fresh repository with
// one commit tagged tag: the code under test, not the last commit.
func taggedCopy(t *testing.T, git, tag string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ls := exec.Command(git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	listed, err := ls.Output()
	if err != nil {
		t.Skipf("not a git checkout (git ls-files: %v): nothing to tag", err)
	}
	list := string(listed)
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(list, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	id := []string{"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}
	cmdOutput(t, dir, nil, git, "init", "-q")
	cmdOutput(t, dir, nil, git, "add", "-A")
	cmdOutput(t, dir, nil, git, append(id, "commit", "-q", "-m", "release")...)
	cmdOutput(t, dir, nil, git, append(id, "tag", tag)...)
	return dir
}

// goCommand is the go command that runs this test, else the one on PATH.
func goCommand() string {
	if goroot := os.Getenv("GOROOT"); goroot != "" {
		return filepath.Join(goroot, "bin", "go")
	}
	return "go"
}

// cmdOutput runs name in dir with env added to the environment and
// returns its stdout; a failure ends the test with stderr.
func cmdOutput(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
