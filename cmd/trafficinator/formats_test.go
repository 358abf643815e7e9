package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
)

// passingScenario runs one second against the built-in sink; its only
// policy warns, so the run passes (exit code 0).
const passingScenario = `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: formats }
run: { rate: 20/s, duration: 1s, concurrency: 10, seed: 5 }
targets:
  - { name: a, kind: sink, site_id: 1 }
traffic:
  pageviews: { min: 1, max: 2 }
  pause: { min: 0s, max: 5ms }
policies:
  - name: any-hit
    when: hits > 0
    action: warn
`

// formatCommand is one command that takes --format, with what each of
// its formats must show.
type formatCommand struct {
	name    string
	args    func(t *testing.T, format string) []string
	formats formatNames
	json    func(t *testing.T, out string)
	header  []string // the first table's header row
	cases   []string // the JUnit test cases, CLASSNAME/NAME
}

// passedVariant writes the testdata report as a passed run with the given
// id: no policy fired.
func passedVariant(t *testing.T, dir, id string) string {
	return reportVariant(t, dir, id+".json", func(r *report.Report) {
		r.Run.ID, r.Run.Outcome, r.Run.ExitCode = id, "passed", 0
		r.Policies = nil
		r.PoliciesDefined = nil
	})
}

func formatCommands() []formatCommand {
	decodeReport := func(t *testing.T, out string) {
		if _, err := report.Decode([]byte(out)); err != nil {
			t.Errorf("not a report: %v\n%s", err, out)
		}
	}
	reportHeader := []string{"target", "health", "visits", "dropped visits", "sent", "ok", "rejected", "failed", "unknown", "unsent", "dropped", "retries"}
	var figures []string
	for _, target := range []string{"a", "b", "total"} {
		for _, f := range []string{"p50_ms", "p95_ms", "p99_ms", "error_rate", "achieved_rate"} {
			figures = append(figures, "report-schema."+target+"/"+f)
		}
	}
	return []formatCommand{
		{
			name: "apply",
			args: func(t *testing.T, format string) []string {
				dir := tree(t, map[string]string{"formats.yaml": passingScenario})
				return []string{"apply", filepath.Join(dir, "formats.yaml"), "--state", filepath.Join(dir, "journal"), "--format", format}
			},
			formats: report.ReportFormats, json: decodeReport, header: reportHeader,
			cases: []string{"formats/any-hit", "formats/run"},
		},
		{
			name: "report show",
			args: func(t *testing.T, format string) []string {
				return []string{"report", "show", "../../schema/testdata/report.v3.json", "--format", format}
			},
			formats: report.ReportFormats, json: decodeReport, header: reportHeader,
			cases: []string{"report-schema.b/b-busy", "report-schema/any-traffic", "report-schema.a/slow",
				"report-schema.b/slow", "report-schema/never", "report-schema/run"},
		},
		{
			name: "report merge",
			args: func(t *testing.T, format string) []string {
				dir := t.TempDir()
				return []string{"report", "merge", passedVariant(t, dir, "r1"), passedVariant(t, dir, "r2"), "--format", format}
			},
			formats: report.ReportFormats, json: decodeReport, header: reportHeader,
			cases: []string{"report-schema/run"},
		},
		{
			name: "verify",
			args: func(t *testing.T, format string) []string {
				dir := tree(t, map[string]string{"formats.yaml": passingScenario})
				return []string{"verify", passedVariant(t, dir, "r1"), "--scenario", filepath.Join(dir, "formats.yaml"), "--format", format}
			},
			formats: report.VerifyFormats, json: decodeReport,
			header: []string{"target", "status", "visits expected", "visits recorded", "ratio", "sampled", "mismatches", "reason"},
			cases:  []string{"report-schema.a/verification", "report-schema.b/verification", "report-schema/run"},
		},
		{
			name: "report diff",
			args: func(t *testing.T, format string) []string {
				dir := t.TempDir()
				return []string{"report", "diff", passedVariant(t, dir, "r1"), passedVariant(t, dir, "r2"), "--format", format}
			},
			formats: report.DiffFormats,
			json: func(t *testing.T, out string) {
				if d, err := decodeDiff(out); err != nil || len(d.Rows) != 3 || d.Current.RunID != "r2" {
					t.Errorf("not the diff: %v\n%s", err, out)
				}
			},
			header: []string{"target", "p50 ms", "p95 ms", "p99 ms", "error rate", "rate /s", "verdict"},
			cases:  figures,
		},
		{
			name: "plan",
			args: func(t *testing.T, format string) []string {
				dir := tree(t, map[string]string{"formats.yaml": passingScenario})
				return []string{"plan", filepath.Join(dir, "formats.yaml"), "--format", format}
			},
			formats: report.PlanFormats,
			json: func(t *testing.T, out string) {
				var doc map[string]any
				if err := json.Unmarshal([]byte(out), &doc); err != nil || doc["seed"] != 5.0 {
					t.Errorf("not the plan: %v\n%s", err, out)
				}
			},
			header: []string{"stage", "start", "end", "from visits/s", "to visits/s"},
		},
	}
}

// Every command offers every format of its document, from the registry:
// exit code 0 and the document in that format.
func TestEveryCommandWritesEveryFormat(t *testing.T) {
	for _, cmd := range formatCommands() {
		for _, format := range cmd.formats.Names() {
			t.Run(cmd.name+"/"+format, func(t *testing.T) {
				code, stdout, stderr := runWithReport(t, cmd.args(t, format)...)
				if code != exitOK {
					t.Fatalf("exit %d, want 0\n%s", code, stderr)
				}
				switch format {
				case "table":
					if row := firstTableRow(stdout); !slices.Equal(row, cmd.header) {
						t.Errorf("header %q, want %q\n%s", row, cmd.header, stdout)
					}
				case "json":
					cmd.json(t, stdout)
				case "junit":
					var got []string
					for _, c := range parseJUnit(t, []byte(stdout)).Suites[0].Cases {
						got = append(got, c.Classname+"/"+c.Name)
					}
					if !slices.Equal(got, cmd.cases) {
						t.Errorf("test cases %q, want %q", got, cmd.cases)
					}
				case "markdown":
					if !strings.HasPrefix(stdout, "### Trafficinator: ") || !strings.Contains(stdout, "\n| target | health | visits |") ||
						!strings.Contains(stdout, "\n| **total** | ") {
						t.Errorf("not the markdown summary:\n%s", stdout)
					}
				default:
					t.Fatalf("format %q has no assertion here: add one", format)
				}
			})
		}
	}
}

// firstTableRow is the cells of the first table row in out (its header).
func firstTableRow(out string) []string {
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "│") {
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "│"), "│") {
			cells = append(cells, strings.TrimSpace(c))
		}
		return cells
	}
	return nil
}

// An unknown format is exit code 2, and the message lists the command's
// formats in their fixed order, the default first; so does the help.
func TestUnknownFormatListsTheFormats(t *testing.T) {
	want := map[string]string{
		"apply": "table, json, junit or markdown", "report show": "table, json, junit or markdown", "report merge": "table, json, junit or markdown",
		"report diff": "table, json or junit", "plan": "table or json", "verify": "table, json or junit",
	}
	for _, cmd := range formatCommands() {
		args := cmd.args(t, "xml")
		code, stdout, stderr := runWithReport(t, args...)
		msg := fmt.Sprintf("trafficinator: unknown --format \"xml\" (want %s)\n", want[cmd.name])
		if code != exitUsage || stdout != "" || stderr != msg {
			t.Errorf("%s: exit %d stdout %q stderr %q, want 2 and %q", cmd.name, code, stdout, stderr, msg)
		}
		_, help, _ := runWithReport(t, append(strings.Fields(cmd.name), "--help")...)
		if !strings.Contains(help, "FORMAT: "+want[cmd.name]+" (default: \"table\")") {
			t.Errorf("%s --help does not list the formats:\n%s", cmd.name, help)
		}
	}
	code, _, stderr := runCLI(t, "validate", "--format", "xml", examplesDir)
	if code != exitUsage || stderr != "trafficinator: unknown --format \"xml\" (want text, json, github or sarif)\n" {
		t.Errorf("validate: exit %d %q", code, stderr)
	}
}

// docs/cli.md lists the formats of each command as the registries do.
func TestDocsListTheFormats(t *testing.T) {
	data, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{} // command -> formats cell
	_, table, _ := strings.Cut(string(data), "\n## Output formats\n")
	table, _, _ = strings.Cut(table, "\n\n- ")
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) == 3 && strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
			documented[strings.Trim(strings.TrimSpace(cells[0]), "`")] = strings.TrimSpace(cells[2])
		}
	}
	registries := map[string]formatNames{"validate": diagFormats{}, "migrate": migrateFormats{}, "version": versionFormats{}}
	for _, cmd := range formatCommands() {
		registries[cmd.name] = cmd.formats
	}
	for name, f := range registries {
		var want []string
		for i, format := range f.Names() {
			if i == 0 {
				want = append(want, "`"+format+"` (default)")
			} else {
				want = append(want, "`"+format+"`")
			}
		}
		if got := documented[name]; got != strings.Join(want, ", ") {
			t.Errorf("docs/cli.md lists %q for %s, the registry %q", got, name, strings.Join(want, ", "))
		}
	}
	if len(documented) != len(registries) {
		t.Errorf("docs/cli.md documents %d commands with --format, the code has %d", len(documented), len(registries))
	}
}
