package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
)

// wrong1Scenario sends 20 visits to url, whose answers come after the
// 200ms timeout, and fails the run on any error.
func wrong1Scenario(url, bulk string) string {
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: wrong1}
run: {rate: 200/s, concurrency: 50, seed: 4, max_visits: 20}
targets:
  - name: slow
    url: %s
    site_id: 1
    timeout: 200ms%s
traffic:
  pageviews: {min: 1, max: 3}
  pause: {min: 0s, max: 0s}
  features:
    ecommerce: {probability: 0.5}
policies:
  - name: clean
    when: errors > 0
    action: fail
`, url, bulk)
}

// What is wrong today, item 1: retries duplicate hits. Against a target
// that records every hit and answers after the timeout, each hit used to
// be recorded 3 times while the report said "ok 0, failed N". Now no hit
// is sent twice, every sent hit is unknown (not failed), and the gate
// written as errors > 0 fails the run: exit code 1.
func TestWrong1RetriesDuplicateHits(t *testing.T) {
	for _, mode := range []struct{ name, bulk string }{{"single", ""}, {"bulk", "\n    bulk: 20"}} {
		t.Run(mode.name, func(t *testing.T) {
			f, err := targets.StartSink(targets.SinkOptions{Faults: targets.SinkFaults{Fault: targets.Always(targets.SlowAnswer), Delay: 2 * time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			dir := tree(t, map[string]string{"s.yaml": wrong1Scenario(f.URL, mode.bulk)})
			out := filepath.Join(dir, "r.json")
			code, stdout, stderr := runCLI(t, "apply", filepath.Join(dir, "s.yaml"), "--out", out, "--run-id", "wrong1")
			if code != 1 {
				t.Fatalf("exit %d, want 1 (the errors > 0 gate fails)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			rep, err := report.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			c := rep.Total.Counters
			recorded := f.Recorded()
			if dups := f.Duplicates(); len(dups) > 0 || f.DuplicateOrders() > 0 {
				t.Errorf("hits recorded twice: %q, %d duplicate orders", dups, f.DuplicateOrders())
			}
			if c.Hits == 0 || c.Unknown != c.Hits || c.OK+c.Failed+c.Rejected != 0 || c.Retries != 0 || int64(len(recorded)) != c.Unknown {
				t.Errorf("sent %d: ok %d, failed %d, rejected %d, unknown %d, %d retries; sink recorded %d; want every sent hit unknown and recorded once",
					c.Hits, c.OK, c.Failed, c.Rejected, c.Unknown, c.Retries, len(recorded))
			}
			if c.Unsent+c.DroppedHits != 0 {
				t.Errorf("unsent %d, dropped %d: every planned hit should have been sent", c.Unsent, c.DroppedHits)
			}
			row := fmt.Sprintf("│ %-4d │ 0  │ 0        │ 0      │ %-7d │ 0      │ 0       │ 0       │", c.Hits, c.Unknown)
			if !strings.Contains(stdout, row) {
				t.Errorf("the table lacks the outcomes row %q:\n%s", row, stdout)
			}
		})
	}
}

// The delivery field is checked like every other: a value that is not
// one of the modes is refused at its line and column.
func TestValidateRefusesUnknownDelivery(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": validScenario + "    delivery: twice\n"})
	code, stdout, _ := runCLI(t, "validate", filepath.Join(dir, "s.yaml"))
	want := filepath.Join(dir, "s.yaml") + `:12:15: error: must be one of: at_most_once, at_least_once (got "twice") (at /targets/0/delivery)`
	if code != 1 || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 and %q", code, stdout, want)
	}
}

// A report of format v1 is refused with a message that says why.
func TestReportRefusesV1(t *testing.T) {
	data, err := os.ReadFile("../../schema/testdata/report.v3.json")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(data), report.Version, report.VersionV1, 1)
	dir := tree(t, map[string]string{"old.json": old})
	path := filepath.Join(dir, "old.json")
	for _, cmd := range [][]string{{"show", path}, {"merge", path, path}, {"diff", path, path}} {
		code, stdout, stderr := runCLI(t, append([]string{"report"}, cmd...)...)
		want := "trafficinator: " + path + ": " + report.ErrVersionV1.Error() + "\n"
		if code != 2 || stdout != "" || stderr != want {
			t.Errorf("report %s: exit %d, stdout %q, stderr %q; want 2 and %q", cmd[0], code, stdout, stderr, want)
		}
	}
}
