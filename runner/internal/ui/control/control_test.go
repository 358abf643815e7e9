package control_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIndexListsScenariosWithTheirVerdicts(t *testing.T) {
	f := newFixture(t)
	code, body := f.get(t, "/")
	if code != http.StatusOK {
		t.Fatalf("GET / = %d\n%s", code, body)
	}
	for _, want := range []string{
		`<tr data-file="bad.yaml">`,
		"<li>bad.yaml:8:14: expected integer, got string</li>",
		`<tr data-file="good.yaml">`, `<td>sink-smoke</td>`,
		`<tr data-file="sub/nested.yaml">`,
		`<meta name="csrf-token" content="page-csrf">`,
		`<input type="hidden" name="csrf" value="page-csrf">`,
		"No report yet.", "No run is in progress.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "compose.yaml") {
		t.Error("compose.yaml is not a scenario: validate DIR skips it, the page lists it")
	}
	if n := strings.Count(body, `<span class="good">ok</span>`); n != 2 {
		t.Errorf("%d scenarios ok, want 2 (good and nested)", n)
	}
	if !strings.Contains(body, `<li>link.yaml: leads outside the repository: listed, never served</li>`) {
		t.Error("the link out of the repository is not listed as not served")
	}
}

func TestPlanIsTheTableAsHTML(t *testing.T) {
	f := newFixture(t)
	code, body := f.get(t, "/plan?file=sub/nested.yaml")
	if code != http.StatusOK {
		t.Fatalf("GET /plan = %d\n%s", code, body)
	}
	for _, want := range []string{"Plan for nested (", "<th>target</th>", "<td>local</td>", "<td>1200</td>", "<td>[redacted]</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the plan lacks %q\n%s", want, body)
		}
	}
	if strings.Contains(body, "style=") {
		t.Error("an inline style: the CSP forbids it")
	}
	code, body = f.get(t, "/plan?file=bad.yaml")
	if code != http.StatusBadRequest || !strings.Contains(body, "bad.yaml is not a valid scenario: bad.yaml:8:14: expected integer, got string") {
		t.Errorf("plan of an invalid scenario = %d\n%s", code, body)
	}
}

func TestPathsFromThePageStayInTheirFolder(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		value string
		code  int
	}{
		{"../outside/escape.yaml", http.StatusForbidden},
		{"sub/../../outside/escape.yaml", http.StatusForbidden},
		{filepath.Join(f.outsideDir, "escape.yaml"), http.StatusForbidden},
		{"link.yaml", http.StatusForbidden}, // a symlink out
		{"sub\\..\\good.yaml", http.StatusForbidden},
		{"good.yaml\x00", http.StatusForbidden},
		{"missing.yaml", http.StatusNotFound},
		{"sub", http.StatusNotFound}, // a folder
		{"compose.yaml", http.StatusBadRequest},
	}
	for _, c := range cases {
		if code, body := f.get(t, "/plan?file="+url.QueryEscape(c.value)); code != c.code {
			t.Errorf("GET /plan %q = %d, want %d\n%s", c.value, code, c.code, body)
		}
		for _, path := range []string{"/start", "/test"} {
			if code, body := f.post(t, path, url.Values{"file": {c.value}}); code != c.code {
				t.Errorf("POST %s %q = %d, want %d\n%s", path, c.value, code, c.code, body)
			}
		}
	}
	reports := []struct {
		value string
		code  int
	}{
		{"../outside/escape.json", http.StatusForbidden},
		{"link.json", http.StatusForbidden},
		{filepath.Join(f.outsideDir, "escape.json"), http.StatusForbidden},
		{"none.json", http.StatusNotFound},
	}
	for _, c := range reports {
		if code, body := f.get(t, "/report?name="+url.QueryEscape(c.value)); code != c.code {
			t.Errorf("GET /report %q = %d, want %d\n%s", c.value, code, c.code, body)
		}
		if code, body := f.get(t, "/diff?base="+url.QueryEscape(c.value)+"&current="+url.QueryEscape(c.value)); code != c.code {
			t.Errorf("GET /diff %q = %d, want %d\n%s", c.value, code, c.code, body)
		}
	}
	if _, body := f.get(t, "/"); strings.Contains(body, "link.json") {
		t.Error("the runs list shows a report outside the runs folder")
	}
}

func TestStateChangesArePostsOnly(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/start?file=good.yaml", "/stop", "/test?file=good.yaml"} {
		if code, _ := f.get(t, path); code != http.StatusMethodNotAllowed {
			t.Errorf("GET %s = %d, want 405", path, code)
		}
	}
	if code, body := f.post(t, "/stop", nil); code != http.StatusConflict || !strings.Contains(body, "no run is in progress") {
		t.Errorf("stop without a run = %d\n%s", code, body)
	}
}

func TestTestRunsThePreflightAlone(t *testing.T) {
	f := newFixture(t)
	code, body := f.post(t, "/test", url.Values{"file": {"good.yaml"}})
	if code != http.StatusOK {
		t.Fatalf("POST /test = %d\n%s", code, body)
	}
	for _, want := range []string{"every target passed the preflight: apply would start", "<th>preflight</th>", "<td>local</td>", "<td>yes</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the test page lacks %q\n%s", want, body)
		}
	}
	t.Setenv("UI_TEST_SECRET", "")
	os.Unsetenv("UI_TEST_SECRET") // unset now: the test must say so, not send
	code, body = f.post(t, "/test", url.Values{"file": {"good.yaml"}})
	if code != http.StatusOK || !strings.Contains(body, `<p id="verdict" class="bad">apply would not start: `) {
		t.Errorf("test without the secret = %d\n%s", code, body)
	}
}

// state is /state.json.
type state struct {
	Run *struct {
		Scenario, RunID, Report string
		Running, Live           bool
		Exit                    int
	}
}

func (f *fixture) state(t *testing.T) state {
	t.Helper()
	code, body := f.get(t, "/state.json")
	var s state
	if err := json.Unmarshal([]byte(body), &s); code != http.StatusOK || err != nil {
		t.Fatalf("GET /state.json = %d, %v\n%s", code, err, body)
	}
	return s
}

// waitFor polls the state until ok holds (at most 10 s).
func (f *fixture) waitFor(t *testing.T, what string, ok func(state) bool) state {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := f.state(t)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v", what, s.Run)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOneRunAtATimeLiveProxyAndStop(t *testing.T) {
	f := newFixture(t)
	if s := f.state(t); s.Run != nil {
		t.Fatalf("a run before any start: %+v", s.Run)
	}
	if code, body := f.post(t, "/start", url.Values{"file": {"good.yaml"}}); code != http.StatusSeeOther {
		t.Fatalf("start = %d\n%s", code, body)
	}
	s := f.waitFor(t, "the live page", func(s state) bool { return s.Run != nil && s.Run.Live })
	if s.Run.Scenario != "good.yaml" || !strings.HasPrefix(s.Run.RunID, "ui-") || !strings.HasSuffix(s.Run.Report, "-good.json") {
		t.Errorf("run = %+v", s.Run)
	}
	code, body := f.post(t, "/start", url.Values{"file": {"sub/nested.yaml"}})
	if want := "a run is in progress (good.yaml, run " + s.Run.RunID + "): one run at a time, stop it first"; code != http.StatusConflict || !strings.Contains(body, want) {
		t.Errorf("second start = %d, want 409 with %q\n%s", code, want, body)
	}

	// The proxy gives the child its token, its own host, and this
	// server's CSRF token to the browser.
	code, body = f.get(t, "/live/some/page")
	if code != http.StatusOK || !strings.Contains(body, `<p id="path">/some/page</p>`) ||
		!strings.Contains(body, `<meta name="csrf-token" content="page-csrf">`) || strings.Contains(body, "child-csrf") ||
		strings.Contains(body, `<p id="host">`+strings.TrimPrefix(f.srv.URL, "http://")) {
		t.Errorf("GET /live/some/page = %d\n%s", code, body)
	}

	// The live page's Stop is one SIGINT: apply writes its report, exits 130.
	resp, err := client.Post(f.srv.URL+"/live/stop", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Body.Close(); resp.StatusCode != http.StatusAccepted {
		t.Errorf("POST /live/stop = %d, want 202", resp.StatusCode)
	}
	s = f.waitFor(t, "the end of the run", func(s state) bool { return !s.Run.Running })
	if s.Run.Exit != 130 {
		t.Errorf("exit %d, want 130", s.Run.Exit)
	}
	if code, _ := f.get(t, "/live/"); code != http.StatusServiceUnavailable {
		t.Errorf("live page after the run = %d, want 503", code)
	}
	_, body = f.get(t, "/")
	for _, want := range []string{`<tr data-report="` + s.Run.Report + `">`, "<code>" + s.Run.RunID + "</code>", `<td class="outcome">interrupted</td>`, `<td class="exit">130</td>`, `<td class="visits">7</td>`, `exited <span id="exit">130</span>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page after the run lacks %q", want)
		}
	}
	code, body = f.get(t, "/report?name="+s.Run.Report)
	if code != http.StatusOK || !strings.Contains(body, `"id": "`+s.Run.RunID+`"`) {
		t.Errorf("download = %d\n%s", code, body)
	}
	// A stop at once, before the run can handle SIGINT, waits for it.
	if code, body := f.post(t, "/start", url.Values{"file": {"sub/nested.yaml"}}); code != http.StatusSeeOther {
		t.Errorf("start after the run = %d\n%s", code, body)
	}
	if code, _ := f.post(t, "/stop", nil); code != http.StatusSeeOther {
		t.Errorf("stop = %d, want 303", code)
	}
	f.waitFor(t, "the end of the second run", func(s state) bool { return !s.Run.Running && s.Run.Exit == 130 })
}

func TestPastRunsAndTheirDiff(t *testing.T) {
	f := newFixture(t)
	writeReport(t, filepath.Join(f.runs, "a.json"), "sink-smoke", "run-a", 10)
	writeReport(t, filepath.Join(f.runs, "b.json"), "sink-smoke", "run-b", 20)
	write(t, filepath.Join(f.runs, "junk.json"), "{")
	_, body := f.get(t, "/")
	ia, ib := strings.Index(body, `data-report="a.json"`), strings.Index(body, `data-report="b.json"`)
	if ia < 0 || ib < 0 || ib > ia {
		t.Errorf("past runs not listed newest first (a at %d, b at %d)", ia, ib)
	}
	if !strings.Contains(body, `<td>junk.json</td><td colspan="6" class="bad">not a readable report</td>`) {
		t.Error("an unreadable report is not listed with its problem")
	}
	code, body := f.get(t, "/diff?base=a.json&current=b.json")
	if code != http.StatusOK {
		t.Fatalf("diff = %d\n%s", code, body)
	}
	for _, want := range []string{"Baseline a.json: scenario sink-smoke, run run-a, passed", "<th>p95 ms</th>", "<td>local</td>", "No regression."} {
		if !strings.Contains(body, want) {
			t.Errorf("the diff lacks %q\n%s", want, body)
		}
	}
	if code, body := f.get(t, "/diff?current=b.json"); code != http.StatusBadRequest || !strings.Contains(body, "choose a base and a current run to compare") {
		t.Errorf("diff without a base = %d\n%s", code, body)
	}
	if code, _ := f.get(t, "/diff?base=a.json&current=junk.json"); code != http.StatusBadRequest {
		t.Errorf("diff with a junk report = %d, want 400", code)
	}
}

func TestStaticServesTheStyleAndScriptOnly(t *testing.T) {
	f := newFixture(t)
	for path, want := range map[string]int{
		"/static/control.css": http.StatusOK, "/static/control.js": http.StatusOK,
		"/static/index.html": http.StatusNotFound, "/static/layout.html": http.StatusNotFound,
	} {
		if code, _ := f.get(t, path); code != want {
			t.Errorf("GET %s = %d, want %d", path, code, want)
		}
	}
}
