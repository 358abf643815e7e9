package control_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/ui/control"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web/webtest"
	"github.com/trafficinator/trafficinator/runner/report"
)

// secret is the value of the scenarios' ${UI_TEST_SECRET}: no page, JSON
// or error may show it.
const secret = "s3cr3t-ui-control-7f2a"

// controlToken is the control page's own token in the runs' environment:
// a run gets a token of its own instead, which only the proxy knows.
const controlToken = "control-page-token"

// TestMain makes the test binary stand in for `trafficinator apply` when
// the control server runs it as a child (fakeApply).
func TestMain(m *testing.M) {
	if os.Getenv("CONTROL_TEST_CHILD") == "1" {
		os.Exit(fakeApply(os.Args[1:]))
	}
	os.Exit(webtest.Run(m))
}

// fakeApply does what the control page relies on of `apply FILE --ui
// ADDR --out FILE --run-id ID`: it serves a live page (only with the
// token it was given), prints its address, waits for one SIGINT, writes
// the report and exits 130, as apply does on one Ctrl-C.
func fakeApply(args []string) int {
	flags := map[string]string{}
	for i := 2; i+1 < len(args); i += 2 {
		flags[args[i]] = args[i+1]
	}
	if args[0] != "apply" || flags["--ui"] != "127.0.0.1:0" || flags["--out"] == "" || flags["--run-id"] == "" {
		fmt.Fprintf(os.Stderr, "fake apply: unexpected arguments %q\n", args)
		return 2
	}
	if os.Getenv("UI_TEST_SECRET") != secret {
		fmt.Fprintln(os.Stderr, "fake apply: the environment was not passed on")
		return 2
	}
	ints := make(chan os.Signal, 1)
	signal.Notify(ints, syscall.SIGINT)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 1
	}
	token := os.Getenv("TRAFFICINATOR_UI_TOKEN")
	if len(token) != 32 || token == controlToken {
		fmt.Fprintln(os.Stderr, "fake apply: the run did not get a token of its own")
		return 2
	}
	go func() {
		_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if token == "" || r.Header.Get("Authorization") != "Bearer "+token || r.Header.Get("Cookie") != "" {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><meta name="csrf-token" content="child-csrf"></head><body><p id="path">%s</p><p id="host">%s</p></body></html>`, r.URL.Path, r.Host)
		}))
	}()
	fmt.Fprintf(os.Stderr, "live page at http://%s/\n", ln.Addr())
	<-ints
	r := &report.Report{Version: report.Version}
	r.Scenario.Name = "sink-smoke"
	r.Run.ID, r.Run.Outcome, r.Run.ExitCode, r.Run.Start = flags["--run-id"], "interrupted", 130, time.Now().UTC()
	r.Total.Counters.Visits = 7
	if err := report.WriteJSONFile(flags["--out"], r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintln(os.Stderr, "interrupted: report written")
	return 130
}

const goodYAML = `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: sink-smoke }
run: { rate: 20/s, duration: 1m, seed: 1 }
targets:
  - name: local
    kind: sink
    site_id: 1
    token_auth: ${UI_TEST_SECRET}
`

// badYAML's site_id is the secret: the error must name the place, not
// the value.
const badYAML = `apiVersion: trafficinator/v1
kind: Scenario
metadata: { name: bad }
run: { rate: 20/s, duration: 1m, seed: 1 }
targets:
  - name: local
    kind: sink
    site_id: ${UI_TEST_SECRET}
`

// fixture is a control server on a repository with good.yaml, bad.yaml,
// sub/nested.yaml, a compose file that is not a scenario, and links that
// lead out of the repository and the runs folder.
type fixture struct {
	srv        *httptest.Server
	ctl        *control.Server
	dir, runs  string
	outsideDir string
}

func write(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	t.Setenv("UI_TEST_SECRET", secret)
	root := t.TempDir()
	f := &fixture{dir: filepath.Join(root, "repo"), runs: filepath.Join(root, "runs"), outsideDir: filepath.Join(root, "outside")}
	write(t, filepath.Join(f.dir, "good.yaml"), goodYAML)
	write(t, filepath.Join(f.dir, "bad.yaml"), badYAML)
	write(t, filepath.Join(f.dir, "sub", "nested.yaml"), strings.Replace(goodYAML, "sink-smoke", "nested", 1))
	write(t, filepath.Join(f.dir, "compose.yaml"), "services: {}\n")
	write(t, filepath.Join(f.outsideDir, "escape.yaml"), strings.Replace(goodYAML, "sink-smoke", "outside", 1))
	writeReport(t, filepath.Join(f.outsideDir, "escape.json"), "outside", "r-out", 1)
	if err := os.Symlink(filepath.Join(f.outsideDir, "escape.yaml"), filepath.Join(f.dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(f.runs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(f.outsideDir, "escape.json"), filepath.Join(f.runs, "link.json")); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f.ctl, err = control.New(control.Config{
		Dir: f.dir, Runs: f.runs, Env: append(os.Environ(), "CONTROL_TEST_CHILD=1", "TRAFFICINATOR_UI_TOKEN="+controlToken), Exe: exe, Preflight: runner.Preflight,
		CSRF: func(*http.Request) string { return "page-csrf" },
	})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.ctl.Handler())
	t.Cleanup(func() {
		f.srv.Close()
		_ = f.ctl.Close(t.Context())
	})
	return f
}

// writeReport writes a report of a run with that many visits.
func writeReport(t testing.TB, path, name, id string, visits int64) {
	t.Helper()
	r := &report.Report{Version: report.Version}
	r.Scenario.Name, r.Run.ID, r.Run.Outcome = name, id, "passed"
	r.Run.Start = time.Date(2026, 12, 1, 10, 0, int(visits), 0, time.UTC)
	r.Total.Counters.Visits = visits
	r.Targets = []report.Target{{Name: "local"}}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSONFile(path, r); err != nil {
		t.Fatal(err)
	}
}

// client does not follow redirects: the tests check the 303s.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get returns the status and body of GET path.
func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := client.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

// post returns the status and body of a form POST.
func (f *fixture) post(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := client.PostForm(f.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

func read(t testing.TB, resp *http.Response) (int, string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), secret) {
		t.Errorf("%s %s shows the secret:\n%s", resp.Request.Method, resp.Request.URL.Path, b)
	}
	return resp.StatusCode, string(b)
}
