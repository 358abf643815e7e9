package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
)

// apply --quiet prints the report and nothing about progress: stderr is
// empty for a run without warnings, while without --quiet it shows the
// journal and the preflight table.
func TestApplyQuiet(t *testing.T) {
	dir := tree(t, map[string]string{"formats.yaml": passingScenario})
	args := func(journal string, more ...string) []string {
		return append([]string{"apply", filepath.Join(dir, "formats.yaml"), "--state", filepath.Join(dir, journal), "--format", "json"}, more...)
	}
	code, _, loudErr := runCLI(t, args("j1")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, loudErr)
	}
	for _, want := range []string{"journal: ", "preflight"} {
		if !strings.Contains(strings.ToLower(loudErr), want) {
			t.Errorf("without --quiet, stderr has no %q:\n%s", want, loudErr)
		}
	}
	for _, quiet := range []string{"--quiet", "-q"} {
		code, out, stderr := runCLI(t, args("j"+quiet, quiet)...)
		if code != exitOK || stderr != "" {
			t.Errorf("%s: exit %d, stderr %q, want 0 and nothing", quiet, code, stderr)
		}
		if !strings.HasPrefix(out, "{") || !strings.Contains(out, `"outcome": "passed"`) {
			t.Errorf("%s: the report is not printed:\n%s", quiet, out)
		}
	}
}

// A quiet progress writes no progress line, and still the run's events.
func TestQuietProgressKeepsEvents(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		var w bytes.Buffer
		p := newProgress(&w)
		p.quiet = quiet
		p.update(runner.Progress{Elapsed: 3 * time.Second, Planned: time.Minute, Rate: 2, Visits: 6})
		p.logf("grace period of %s over", "30s")
		p.done()
		lines := strings.Split(strings.TrimSpace(w.String()), "\n")
		want := 2
		if quiet {
			want = 1
		}
		if len(lines) != want || !strings.HasSuffix(lines[len(lines)-1], " grace period of 30s over") {
			t.Errorf("quiet %v: %q, want %d lines ending with the event", quiet, w.String(), want)
		}
		if !quiet && !strings.HasPrefix(lines[0], "3s / 1m0s  rate 2.0/s  visits 6") {
			t.Errorf("progress line %q", lines[0])
		}
	}
}
