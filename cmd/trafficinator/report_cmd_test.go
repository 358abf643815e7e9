package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/trafficinator/trafficinator/runner/report"
)

// runWithReport runs the command line like runCLI, with the report
// command in the tree even where app.go does not list it (yet).
func runWithReport(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp(&out, &errOut)
	if findCommand(app.Commands, "report") == nil {
		app.Commands = append(app.Commands, reportCommand())
	}
	err := app.Run(reorderArgs(app, append([]string{"trafficinator"}, args...)))
	var ec cli.ExitCoder
	switch {
	case err == nil:
		code = exitOK
	case errors.As(err, &ec):
		if msg := err.Error(); msg != "" {
			errOut.WriteString("trafficinator: " + msg + "\n")
		}
		code = ec.ExitCode()
	default:
		errOut.WriteString("trafficinator: " + err.Error() + "\n")
		code = exitUsage
	}
	return code, out.String(), errOut.String()
}

// sinkScenario runs two seconds against the built-in sink; its fail
// policy fires at once, so the run fails with exit code 1.
const sinkScenario = `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: gate }
run: { rate: 20/s, duration: 2s, concurrency: 20, seed: 5 }
targets:
  - { name: a, kind: sink, site_id: 1 }
  - { name: b, kind: sink, site_id: 1 }
traffic:
  pageviews: { min: 1, max: 2 }
  pause: { min: 0s, max: 5ms }
policies:
  - name: any-hit
    when: hits > 0
    action: warn
  - name: latency
    scope: target
    when: p95_ms > 0
    action: fail
  - name: huge
    when: rejected > 100000
    action: abort
`

// applyToFile runs apply on the sink scenario with --out and --junit and
// returns the paths of the report and the JUnit file.
func applyToFile(t *testing.T) (dir, reportPath, junitPath string) {
	t.Helper()
	dir = tree(t, map[string]string{"gate.yaml": sinkScenario})
	reportPath, junitPath = filepath.Join(dir, "r.json"), filepath.Join(dir, "junit.xml")
	scenarioPath := filepath.Join(dir, "gate.yaml")
	code, _, stderr := runWithReport(t, "apply", scenarioPath, "--out", reportPath, "--format", "json", "--junit", junitPath)
	if code != 1 {
		t.Fatalf("apply: exit %d, want 1 (the latency policy fails)\n%s", code, stderr)
	}
	return dir, reportPath, junitPath
}

// A report apply wrote comes out of report show --format json byte for
// byte, and as the same tables apply prints.
func TestReportShowRoundTripsApplyOutput(t *testing.T) {
	_, path, _ := applyToFile(t)
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runWithReport(t, "report", "show", path, "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
	if stdout != string(written) {
		t.Fatalf("report show --format json differs from the --out file:\n%s\nwant:\n%s", stdout, written)
	}
	rep, err := report.Decode(written)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := report.WriteTable(&table, rep); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runWithReport(t, "report", "show", path)
	if code != 0 || stdout != table.String() {
		t.Fatalf("report show: exit %d\n%s\nwant:\n%s", code, stdout, table.String())
	}
}

// Two runs with the same figures (the report and a copy under another run
// id) merge into twice the counts and the same percentiles. The report
// merged with itself is refused (TestWrong5MergeSameReportTwice).
func TestReportMergeOfTwoEqualRunsDoublesThem(t *testing.T) {
	dir, path, _ := applyToFile(t)
	out := filepath.Join(dir, "merged.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	twin, err := report.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	twin.Run.ID += "-twin"
	twinPath := filepath.Join(dir, "twin.json")
	if err := report.WriteJSONFile(twinPath, twin); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runWithReport(t, "report", "merge", path, twinPath, "--out", out, "--format", "json")
	if code != 1 {
		t.Fatalf("merge: exit %d, want 1 (the parts failed live)\n%s", code, stderr)
	}
	written, err := os.ReadFile(out)
	if err != nil || string(written) != stdout {
		t.Fatalf("--out differs from stdout (%v)", err)
	}
	one, _ := os.ReadFile(path)
	single, _ := report.Decode(one)
	merged, err := report.Decode(written)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Total.Counters.Hits != 2*single.Total.Counters.Hits || merged.Targets[1].Counters.Requests != 2*single.Targets[1].Counters.Requests {
		t.Errorf("hits %d of 2×%d", merged.Total.Counters.Hits, single.Total.Counters.Hits)
	}
	if merged.Total.Latency.P95 != single.Total.Latency.P95 || merged.Total.Latency.Max != single.Total.Latency.Max {
		t.Errorf("doubling every sample moved the percentiles: %+v vs %+v", merged.Total.Latency, single.Total.Latency)
	}
	if len(merged.MergedFrom) != 2 || merged.MergedFrom[1].Source != twinPath || merged.Run.Outcome != "failed" {
		t.Errorf("merged_from %+v outcome %s", merged.MergedFrom, merged.Run.Outcome)
	}
	// And the merged report is itself a valid report.
	if code, _, stderr := runWithReport(t, "report", "show", out); code != 0 {
		t.Errorf("show merged: exit %d %s", code, stderr)
	}
}

// reportVariant writes the testdata report with changes, as a new file.
func reportVariant(t *testing.T, dir, name string, change func(r *report.Report)) string {
	t.Helper()
	data, err := os.ReadFile("../../schema/testdata/report.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	change(r)
	path := filepath.Join(dir, name)
	if err := report.WriteJSONFile(path, r); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportMergeRefusesDifferentScenarios(t *testing.T) {
	dir := t.TempDir()
	a := reportVariant(t, dir, "a.json", func(*report.Report) {})
	b := reportVariant(t, dir, "b.json", func(r *report.Report) {
		r.Scenario.Digest = "sha256:" + strings.Repeat("ab", 32)
	})
	code, stdout, stderr := runWithReport(t, "report", "merge", a, b)
	if code != 2 || stdout != "" {
		t.Fatalf("exit %d stdout %q", code, stdout)
	}
	want := "trafficinator: cannot merge: " + a + ` (scenario "report-schema", sha256:`
	if !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "and "+b+` (scenario "report-schema", sha256:abababababab…) are runs of different scenarios`) {
		t.Errorf("stderr %q", stderr)
	}
}

func TestReportDiffThresholdsAndExitCodes(t *testing.T) {
	dir := t.TempDir()
	base := reportVariant(t, dir, "base.json", func(*report.Report) {})
	slower := reportVariant(t, dir, "cur.json", func(r *report.Report) {
		r.Targets[0].Latency.P95 *= 1.5
	})
	cases := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{base, slower}, 0, ""},
		{[]string{base, slower, "--max-p95-increase", "60%"}, 0, ""},
		{[]string{base, slower, "--max-p95-increase", "20%"}, 1, "trafficinator: regression: a: p95 "},
		{[]string{base, slower, "--max-error-rate-increase", "0"}, 0, ""},
		{[]string{base, slower, "--max-p95-increase", "20"}, 2, `--max-p95-increase "20": missing unit`},
		{[]string{base, slower, "--max-p95-increase", "-5%"}, 2, "not a non-negative number"},
		{[]string{base, slower, "--max-error-rate-increase", "NaN"}, 2, "not a non-negative number"},
		{[]string{base}, 2, "report diff needs a BASELINE and a CURRENT report FILE"},
		{[]string{base, slower, "--format", "xml"}, 2, `unknown --format "xml"`},
	}
	for _, c := range cases {
		code, _, stderr := runWithReport(t, append([]string{"report", "diff"}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.stderr) || (c.stderr == "" && stderr != "") {
			t.Errorf("%v: exit %d stderr %q, want %d %q", c.args, code, stderr, c.code, c.stderr)
		}
	}
	code, stdout, _ := runWithReport(t, "report", "diff", base, slower, "--max-p95-increase", "20%", "--format", "json")
	d, err := decodeDiff(stdout)
	if code != 1 || err != nil || len(d.Regressions) != 1 || d.Regressions[0].Target != "a" || d.Regressions[0].Metric != "p95_ms" {
		t.Errorf("json: exit %d err %v %+v", code, err, d)
	}
}

func TestReportRejectsBadFiles(t *testing.T) {
	dir := tree(t, map[string]string{
		"text.json":    "hello",
		"array.json":   "[]",
		"invalid.json": `{"version": "trafficinator.report/v3", "scenario": {"name": "x", "file": "x", "digest": "sha256:00"}}`,
	})
	missing := filepath.Join(dir, "missing.json")
	cases := []struct{ args []string }{
		{[]string{"show", missing}},
		{[]string{"show", filepath.Join(dir, "text.json")}},
		{[]string{"show", filepath.Join(dir, "array.json")}},
		{[]string{"show", filepath.Join(dir, "invalid.json")}},
		{[]string{"merge", missing, missing}},
		{[]string{"diff", missing, missing}},
	}
	wants := []string{
		"trafficinator: cannot read report: open " + missing + ": no such file or directory\n",
		"trafficinator: " + filepath.Join(dir, "text.json") + " is not a JSON report: invalid character 'h' looking for beginning of value\n",
		"trafficinator: " + filepath.Join(dir, "array.json") + " is not a valid trafficinator report (schema https://trafficinator.dev/schema/report.v3.json):\n  /: expected object, got array\n",
		"trafficinator: " + filepath.Join(dir, "invalid.json") + " is not a valid trafficinator report (schema https://trafficinator.dev/schema/report.v3.json):\n" +
			"  /: missing required field \"policies\"\n  /: missing required field \"policies_defined\"\n  /: missing required field \"run\"\n" +
			"  /: missing required field \"targets\"\n  /: missing required field \"total\"\n  /scenario/digest: must match ^sha256:[0-9a-f]{64}$ (got \"sha256:00\")\n",
		"trafficinator: cannot read report: open " + missing + ": no such file or directory\n",
		"trafficinator: cannot read report: open " + missing + ": no such file or directory\n",
	}
	for i, c := range cases {
		code, stdout, stderr := runWithReport(t, append([]string{"report"}, c.args...)...)
		if code != 2 || stdout != "" || stderr != wants[i] {
			t.Errorf("%v: exit %d stdout %q stderr\n%s\nwant\n%s", c.args, code, stdout, stderr, wants[i])
		}
	}
}

func TestReportUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "report needs a command: show, merge or diff"},
		{[]string{"report", "print", "x"}, `unknown report command "print"`},
		{[]string{"report", "show"}, "report show needs exactly one report FILE"},
		{[]string{"report", "show", "a", "b"}, "report show needs exactly one report FILE"},
		{[]string{"report", "merge", "a"}, "report merge needs at least two report FILEs"},
		{[]string{"report", "show", "--bogus", "a"}, "flag provided but not defined: --bogus"},
	}
	for _, c := range cases {
		code, stdout, stderr := runWithReport(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stdout, "USAGE:") {
			t.Errorf("%v: exit %d stderr %q stdout %q", c.args, code, stderr, stdout)
		}
	}
	for _, sub := range []string{"show", "merge", "diff"} {
		code, stdout, _ := runWithReport(t, "report", sub, "x.json", "--help")
		if code != 0 || !strings.Contains(stdout, "trafficinator report "+sub) {
			t.Errorf("report %s --help: exit %d %q", sub, code, stdout)
		}
	}
}

func FuzzParseReport(f *testing.F) {
	// CompactReport of the reference report (runner/internal/loadtest keeps it
	// current): a third of the size, which the fuzzing engine mutates far
	// faster.
	data, err := os.ReadFile("../../schema/testdata/report.v3.compact.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, s := range []string{"", "{}", "null", `{"version":"trafficinator.report/v3"}`, "[1,2", `{"sinks":[{"stats":{}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := parseReport("f.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// A report that passes the schema renders, merges and diffs.
		if err := report.WriteTable(&bytes.Buffer{}, rep); err != nil {
			t.Fatal(err)
		}
		in := report.Input{Source: "f.json", Report: rep}
		_, _ = report.Merge([]report.Input{in, in})
		d := report.Compare(in, in, report.Thresholds{MaxP95IncreasePct: new(float64)})
		var doc bytes.Buffer
		if err := report.ReportFormats.Write(&doc, "junit", rep); err != nil {
			t.Fatal(err)
		}
		var parsed junitSuites
		if err := xml.Unmarshal(doc.Bytes(), &parsed); err != nil {
			t.Fatalf("JUnit output is not XML: %v\n%s", err, doc.Bytes())
		}
		doc.Reset()
		if err := report.DiffFormats.Write(&doc, "junit", d); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(doc.Bytes(), &parsed); err != nil {
			t.Fatalf("diff JUnit output is not XML: %v\n%s", err, doc.Bytes())
		}
		_ = report.WriteAnnotations(&bytes.Buffer{}, rep)
	})
}
