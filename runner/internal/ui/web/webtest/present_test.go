package webtest

import (
	"fmt"
	"strings"
	"testing"
)

// recordingTB notes what a helper asked of its test, without stopping.
type recordingTB struct {
	testing.TB
	fatal, skip string
}

func (r *recordingTB) Helper()                           {}
func (r *recordingTB) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }
func (r *recordingTB) Skipf(format string, args ...any)  { r.skip = fmt.Sprintf(format, args...) }

// TestMissingBrowserFailsOnCI: without the browser a test fails when
// CI=true and is skipped otherwise.
func TestMissingBrowserFailsOnCI(t *testing.T) {
	missing := t.TempDir() + "/no-chromium"
	for ci, want := range map[string]string{"true": "fatal", "": "skip", "false": "skip"} {
		t.Setenv("CI", ci)
		r := &recordingTB{TB: t}
		if present(r, missing) {
			t.Fatalf("CI=%q: a missing browser is present", ci)
		}
		got := "fatal"
		if r.fatal == "" {
			got = "skip"
		}
		if got != want || !strings.Contains(r.fatal+r.skip, missing+" is missing") {
			t.Errorf("CI=%q: fatal %q, skip %q; want %s naming the path", ci, r.fatal, r.skip, want)
		}
	}
	r := &recordingTB{TB: t}
	if !present(r, t.TempDir()) || r.fatal+r.skip != "" {
		t.Errorf("an existing path: fatal %q, skip %q", r.fatal, r.skip)
	}
}
