package model

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// The test scenarios are assembled from fixed blocks so that line numbers
// can be counted by eye:
//
//	lines 1-4   head          apiVersion, kind, metadata
//	lines 5-7   run1m         run: rate 1/s, duration 1m
//	lines 8-11  sinkTarget    targets: one sink named "a"
//	line 12...  the case's own text (withTail)
//
// withRun and withTargets replace the run block (from line 5) or the
// targets block (from line 8) instead.
const (
	head       = "apiVersion: trafficinator/v1\nkind: Scenario\nmetadata:\n  name: t\n"
	run1m      = "run:\n  rate: 1/s\n  duration: 1m\n"
	sinkTarget = "targets:\n  - name: a\n    kind: sink\n    site_id: 1\n"
	validBase  = head + run1m + sinkTarget
)

func withTail(tail string) string       { return validBase + tail }
func withRun(run string) string         { return head + run + sinkTarget }
func withTargets(tgt string) string     { return head + run1m + tgt }
func withRunTargets(r, t string) string { return head + r + t }

// testNow is the fixed clock of every test that touches backfill dates:
// 2026-11-15 12:00 UTC (a Sunday).
var testNow = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// envLookup resolves variables from a map only, never the process
// environment, so tests do not depend on the machine.
func envLookup(env map[string]string) Lookup {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}

func testOptions(env map[string]string) Options {
	return Options{Lookup: envLookup(env), Now: fixedClock}
}

// load loads src as t.yaml with the fixed clock and env.
func load(t testing.TB, src string, env map[string]string) *Result {
	t.Helper()
	return Load("t.yaml", []byte(src), testOptions(env))
}

// dump renders diagnostics one per line for failure messages.
func dump(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		fmt.Fprintf(&b, "\n\t%s:%d:%d: %s: %s [path %s] [hint %s]", d.File, d.Line, d.Column, d.Severity, d.Message, d.Path, d.Hint)
	}
	if b.Len() == 0 {
		return " (none)"
	}
	return b.String()
}

// mustBeValid fails unless r has no diagnostics at all.
func mustBeValid(t testing.TB, r *Result) {
	t.Helper()
	if !r.Valid() || len(r.Diags) != 0 {
		t.Fatalf("want a valid scenario without diagnostics, got:%s", dump(r.Diags))
	}
}
