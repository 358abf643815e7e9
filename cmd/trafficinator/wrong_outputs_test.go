package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets"
)

// Tests for item 4 of issue 12's "What is wrong today": reports can be
// lost. Every run goes to a sink on a loopback server the test starts,
// which counts every request it gets (preflight included).

// countingSink is the built-in sink on 127.0.0.1, counting requests. fault,
// when set, runs once, on the first request and before it is answered: a
// fault that strikes after apply's checks (no request comes before them)
// and before the run ends (the run waits for its answers).
type countingSink struct {
	url      string
	requests atomic.Int64
	once     sync.Once
	fault    func()
}

func startCountingSink(t *testing.T, fault func()) *countingSink {
	t.Helper()
	s, err := targets.NewSink(targets.SinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingSink{fault: fault}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		if cs.fault != nil {
			cs.once.Do(cs.fault)
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cs.url = srv.URL + "/matomo.php"
	return cs
}

// outputsScenario sends 4 visits of one pageview to url. With policy set,
// a fail policy fires at the end (exit 1); without, the run passes.
func outputsScenario(url string, policy bool) string {
	s := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: outputs }
run: { rate: 100/s, max_visits: 4, concurrency: 4, seed: 3 }
targets:
  - { name: m, kind: matomo, url: %q, site_id: 1, features: { geo: false } }
traffic:
  pageviews: { min: 1, max: 1 }
  pause: { min: 0s, max: 0s }
`, url)
	if policy {
		s += "policies:\n  - { name: all-hits, when: hits > 0, action: fail }\n"
	}
	return s
}

// An output that cannot be written is found before any traffic: exit 2,
// no request sent, the message names the flag, the path and the cause.
func TestWrong4UnwritableOutFoundAfterTraffic(t *testing.T) {
	cs := startCountingSink(t, nil)
	dir := tree(t, map[string]string{"s.yaml": outputsScenario(cs.url, false), "plain": "x"})
	scen, plain := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "plain")
	cases := []struct {
		name, flag, path, want string
	}{
		{"missing folder", "--out", filepath.Join(dir, "nope", "r.json"),
			"--out " + filepath.Join(dir, "nope", "r.json") + ": the folder " + filepath.Join(dir, "nope") + " does not exist\n" +
				"--state " + filepath.Join(dir, "nope", "r.json.state") + ": the folder " + filepath.Join(dir, "nope") + " does not exist"},
		// Tests run as root, which writes into read-only folders: a path
		// under a regular file (ENOTDIR) is what cannot be written.
		{"under a regular file", "--junit", filepath.Join(plain, "j.xml"),
			"--junit " + filepath.Join(plain, "j.xml") + ": " + plain + " is not a folder"},
		{"a folder", "--out", dir, "--out " + dir + ": is a directory, want a file path"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "apply", scen, tc.flag, tc.path)
			if code != exitUsage || stdout != "" || stderr != "trafficinator: "+tc.want+"\n" {
				t.Errorf("exit %d, want 2\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, "trafficinator: "+tc.want+"\n")
			}
			if n := cs.requests.Load(); n != 0 {
				t.Errorf("%d requests reached the target", n)
			}
		})
	}
	// The same paths are refused by report merge, before it reads anything.
	code, _, stderr := runCLI(t, "report", "merge", "a.json", "b.json", "--out", filepath.Join(dir, "nope", "m.json"))
	if code != exitUsage || stderr != "trafficinator: --out "+filepath.Join(dir, "nope", "m.json")+": the folder "+filepath.Join(dir, "nope")+" does not exist\n" {
		t.Errorf("report merge: exit %d, stderr %q", code, stderr)
	}
	// And a good path still runs: the sink is reachable.
	code, _, stderr = runCLI(t, "apply", scen, "--out", filepath.Join(dir, "r.json"))
	if code != exitOK || cs.requests.Load() == 0 {
		t.Errorf("a writable --out: exit %d, %d requests\n%s", code, cs.requests.Load(), stderr)
	}
}

// An output that is one of the inputs is refused before any traffic, by
// name, path or link, and the input is left as it was.
func TestWrong4OutOverwritesScenario(t *testing.T) {
	cs := startCountingSink(t, nil)
	scenText := outputsScenario(cs.url, false)
	dir := tree(t, map[string]string{"s.yaml": scenText, "x.env": "A=1\n", "urls.txt": "https://example.com/a\n"})
	scen, env := filepath.Join(dir, "s.yaml"), filepath.Join(dir, "x.env")
	if err := os.Symlink("s.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	withURLs := filepath.Join(dir, "u.yaml")
	if err := os.WriteFile(withURLs, []byte(scenText+"  urls: { file: urls.txt }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refusal := ": refusing to overwrite an input, write the output elsewhere\n"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"--out is the scenario", []string{"apply", scen, "--out", scen},
			"trafficinator: --out " + scen + " is the scenario file " + scen + refusal},
		{"--out is the scenario through a symlink", []string{"apply", scen, "--out", filepath.Join(dir, "link.yaml")},
			"trafficinator: --out " + filepath.Join(dir, "link.yaml") + " is the scenario file " + scen + refusal},
		{"--junit is the scenario, spelled otherwise", []string{"apply", scen, "--junit", dir + "/./s.yaml"},
			"trafficinator: --junit " + dir + "/./s.yaml is the scenario file " + scen + refusal},
		{"--out is the env file", []string{"apply", scen, "--env-file", env, "--out", env},
			"trafficinator: --out " + env + " is --env-file " + env + refusal},
		{"--junit is the urls file", []string{"apply", withURLs, "--junit", filepath.Join(dir, "urls.txt")},
			"trafficinator: --junit " + filepath.Join(dir, "urls.txt") + " is the scenario's urls file " + filepath.Join(dir, "urls.txt") + refusal},
		{"--out and --junit are one file", []string{"apply", scen, "--out", filepath.Join(dir, "r"), "--junit", filepath.Join(dir, "r")},
			"trafficinator: --junit " + filepath.Join(dir, "r") + " is the file of --out " + filepath.Join(dir, "r") + ": give each output its own file\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitUsage || stdout != "" || stderr != tc.want {
				t.Errorf("exit %d, want 2\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, tc.want)
			}
			if n := cs.requests.Load(); n != 0 {
				t.Errorf("%d requests reached the target", n)
			}
		})
	}
	for name, want := range map[string]string{"s.yaml": scenText, "x.env": "A=1\n", "urls.txt": "https://example.com/a\n"} {
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != want {
			t.Errorf("%s changed: %q", name, b)
		}
	}
	// report merge refuses to write over a report it merges.
	a := filepath.Join(dir, "a.json")
	code, _, stderr := runCLI(t, "report", "merge", a, filepath.Join(dir, "b.json"), "--out", a)
	if code != exitUsage || stderr != "trafficinator: --out "+a+" is the report "+a+refusal {
		t.Errorf("report merge: exit %d, stderr %q", code, stderr)
	}
}

// A write that fails after the run does not hide the run's outcome: the
// report is printed, the exit code is the run's, and stderr says what
// could not be written. The fault (the output folder becomes a file)
// strikes after the checks, on the first request.
func TestWrong4WriteErrorHidesOutcome(t *testing.T) {
	for _, tc := range []struct {
		name   string
		policy bool
		code   int
	}{{"passed", false, exitOK}, {"a fail policy fired", true, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			t.Setenv("TMPDIR", tmp)
			outDir := filepath.Join(dir, "out")
			if err := os.Mkdir(outDir, 0o755); err != nil {
				t.Fatal(err)
			}
			out, junit := filepath.Join(outDir, "r.json"), filepath.Join(outDir, "j.xml")
			cs := startCountingSink(t, func() {
				if err := os.RemoveAll(outDir); err != nil {
					panic(err)
				}
				if err := os.WriteFile(outDir, []byte("now a file"), 0o644); err != nil {
					panic(err)
				}
			})
			scen := filepath.Join(dir, "s.yaml")
			if err := os.WriteFile(scen, []byte(outputsScenario(cs.url, tc.policy)), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, "apply", scen, "--format", "json", "--out", out, "--junit", junit)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			rep, err := report.Decode([]byte(stdout))
			if err != nil {
				t.Fatalf("stdout is not the report: %v\n%s", err, stdout)
			}
			if c := rep.Total.Counters; rep.Run.ExitCode != tc.code || c.Visits != 4 || c.Hits == 0 || c.OK != c.Hits {
				t.Errorf("report: exit code %d, visits %d, hits %d, ok %d", rep.Run.ExitCode, c.Visits, c.Hits, c.OK)
			}
			// The report the file should have held is saved aside, whole.
			asides, _ := filepath.Glob(filepath.Join(tmp, "trafficinator-report-*.json"))
			if len(asides) != 1 {
				t.Fatalf("reports saved aside: %v\n%s", asides, stderr)
			}
			want := "trafficinator: writing " + out + ": not a directory; the JSON report was saved to " + asides[0] + " instead\n" +
				"writing " + junit + ": not a directory\n"
			if !strings.HasSuffix(stderr, want) {
				t.Errorf("stderr does not end with %q:\n%s", want, stderr)
			}
			if saved, err := os.ReadFile(asides[0]); err != nil || string(saved) != stdout {
				t.Errorf("the report saved aside differs from stdout (%v):\n%s", err, saved)
			}
		})
	}
}
