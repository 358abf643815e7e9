package main

import (
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
)

// limitFileSize makes every write past size bytes of a file fail with
// EFBIG, as a full disk would fail it, until the returned func restores
// the limit. It is process-wide: the test holds it only around one run.
// It may run on a server goroutine, so it reports with t.Error.
func limitFileSize(t *testing.T, size uint64) (restore func()) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Error(err)
		return func() {}
	}
	// Without this, the kernel kills the process with SIGXFSZ instead of
	// failing the write.
	signal.Ignore(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: size, Max: old.Max}); err != nil {
		signal.Reset(syscall.SIGXFSZ)
		t.Error(err)
		return func() {}
	}
	done := false
	restore = func() {
		if !done {
			done = true
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
				panic(err)
			}
			signal.Reset(syscall.SIGXFSZ)
		}
	}
	t.Cleanup(restore)
	return restore
}

// A write that fails after the run (the disk fills up: writes past 512
// bytes fail) leaves the previous report, which may be what --resume
// reads, whole and valid, and no temporary file behind; the run keeps its
// exit code and stdout its report.
func TestWrong4FailedWriteCorruptsReport(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the report would be saved aside
	scen, out := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "r.json")
	// The fault runs on a server goroutine.
	var restore atomic.Pointer[func()]
	cs := startCountingSink(t, func() { f := limitFileSize(t, 512); restore.Store(&f) })
	if err := os.WriteFile(scen, []byte(outputsScenario(cs.url, true)), 0o644); err != nil {
		t.Fatal(err)
	}
	old := reportVariant(t, dir, "r.json", func(r *report.Report) { r.Run.ID = "previous" })
	before, err := os.ReadFile(old)
	if err != nil || len(before) < 2048 {
		t.Fatalf("the previous report is %d bytes (%v), want more than the limit", len(before), err)
	}

	code, stdout, stderr := runCLI(t, "apply", scen, "--out", out)
	if f := restore.Load(); f != nil {
		(*f)()
	} else {
		t.Fatalf("no request reached the sink: exit %d\n%s", code, stderr)
	}

	if code != 1 {
		t.Errorf("exit %d, want 1 (the fail policy fired)\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "outputs") || !strings.Contains(stdout, "FAILED") {
		t.Errorf("stdout is not the report table:\n%s", stdout)
	}
	if want := "trafficinator: writing " + out + ": file too large\n"; !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr does not end with %q:\n%s", want, stderr)
	}
	after, err := os.ReadFile(out)
	if err != nil || string(after) != string(before) {
		t.Fatalf("the previous report changed (%v): %d bytes, was %d:\n%.300s", err, len(after), len(before), after)
	}
	if r, err := report.Decode(after); err != nil || r.Run.ID != "previous" {
		t.Errorf("the previous report is no longer valid: %v", err)
	}
	if got := entries(t, dir); got != "r.json r.json.state s.yaml" {
		t.Errorf("folder holds %q, want r.json r.json.state s.yaml (the journal goes beside --out)", got)
	}
	// Saving the report aside failed too (the limit holds for every
	// file), and left nothing.
	if got := entries(t, tmp); got != "" {
		t.Errorf("temporary folder holds %q", got)
	}
}

// entries lists the names in dir, to prove no temporary file is left.
func entries(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

// migrate -o writes as reports are written: a write that fails keeps the
// previous file as it was.
func TestMigrateFailedWriteKeepsThePreviousFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(out, []byte("# previous\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	restore := limitFileSize(t, 256)
	code, _, stderr := migrateCLI(t, filepath.Join(legacyTestdata, "light.env"), "-o", out)
	restore()
	if want := "trafficinator: writing " + out + ": file too large\n"; code != exitUsage || !strings.HasSuffix(stderr, want) {
		t.Errorf("exit %d, want 2 and stderr ending %q:\n%s", code, want, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "# previous\n" || entries(t, dir) != "s.yaml" {
		t.Errorf("the previous file holds %q, folder %q", b, entries(t, dir))
	}
}
