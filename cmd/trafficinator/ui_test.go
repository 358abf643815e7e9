package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// TestUINonLoopbackWithoutTokenRefusesToStart: --ui on another address
// than loopback, without --ui-token or TRAFFICINATOR_UI_TOKEN, is exit
// code 2 before any traffic, and says what is missing.
func TestUINonLoopbackWithoutTokenRefusesToStart(t *testing.T) {
	t.Setenv("TRAFFICINATOR_UI_TOKEN", "")
	dir := tree(t, map[string]string{"s.yaml": validScenario})
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8090"} {
		code, stdout, stderr := runCLI(t, "apply", filepath.Join(dir, "s.yaml"), "--ui", addr, "--no-preflight", "--state", filepath.Join(t.TempDir(), "s.state"))
		want := `trafficinator: --ui: address "` + addr + `": --ui-token or TRAFFICINATOR_UI_TOKEN is required to serve on a non-loopback address; nothing was sent`
		if code != exitUsage || strings.TrimSpace(stderr) != want || stdout != "" {
			t.Errorf("--ui %s: exit %d, stderr %q, stdout %q; want exit 2 and %q", addr, code, stderr, stdout, want)
		}
	}
}

// TestUIFlagsNeedUI: --ui-linger and --ui-token without --ui are usage
// errors, and so is a negative linger.
func TestUIFlagsNeedUI(t *testing.T) {
	dir := tree(t, map[string]string{"s.yaml": validScenario})
	for args, want := range map[string]string{
		"--ui-linger 1m":                   "--ui-linger is for the live page: add --ui HOST:PORT",
		"--ui-token t0ken":                 "--ui-token is for the live page: add --ui HOST:PORT",
		"--ui 127.0.0.1:0 --ui-linger -1s": "--ui-linger -1s: cannot be negative",
	} {
		code, _, stderr := runCLI(t, append([]string{"apply", filepath.Join(dir, "s.yaml"), "--no-preflight"}, strings.Fields(args)...)...)
		if code != exitUsage || !strings.Contains(stderr, want) || strings.Contains(stderr, "t0ken") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q (without the token)", args, code, stderr, want)
		}
	}
}

// TestUIStopIsOneCtrlC runs the binary with --ui and a token, reads the
// page's address from stderr, and presses Stop as the page does (POST
// with the CSRF token): the run ends gracefully with exit code 130 and
// its report, the page meanwhile served the report for --ui-linger, and
// the token never showed on stderr.
func TestUIStopIsOneCtrlC(t *testing.T) {
	const token = "ui-token-for-the-test-1234"
	bin := builtBinary(t)
	dir := tree(t, map[string]string{"s.yaml": strings.Replace(validScenario, "rate: 1/s", "rate: 20/s", 1)})
	c := startChild(t, bin, "apply", filepath.Join(dir, "s.yaml"), "--ui", "127.0.0.1:0", "--ui-token", token,
		"--ui-linger", "30s", "--grace", "1s", "--format", "json", "--state", filepath.Join(t.TempDir(), "s.state"))
	addr := regexp.MustCompile(`live page at (http://127\.0\.0\.1:\d+/)\n`)
	var url string
	waitFor(t, "live page line", 10*time.Second, func() bool {
		m := addr.FindStringSubmatch(c.stderr.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	})
	do := func(method, path string, hdr map[string]string) (int, string) {
		req, _ := http.NewRequest(method, url+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	auth := "Bearer " + token
	if code, _ := do("GET", "", nil); code != http.StatusUnauthorized {
		t.Errorf("GET / without the token: %d, want 401", code)
	}
	code, page := do("GET", "", map[string]string{"Authorization": auth})
	_, after, _ := strings.Cut(page, `name="csrf-token" content="`)
	csrf, _, _ := strings.Cut(after, `"`)
	if code != 200 || csrf == "" {
		t.Fatalf("GET /: %d, csrf %q", code, csrf)
	}
	// Stop once traffic flows (a stop during the preflight sends nothing
	// and has no report, as a Ctrl-C then).
	waitRunning(t, url, auth)
	if code, _ := do("POST", "stop", map[string]string{"Authorization": auth}); code != http.StatusForbidden {
		t.Errorf("POST stop without the CSRF token: %d, want 403", code)
	}
	if code, _ := do("POST", "stop", map[string]string{"Authorization": auth, "X-CSRF-Token": csrf}); code != http.StatusAccepted {
		t.Fatalf("POST stop: %d, want 202", code)
	}
	// The report appears on stdout, then the page lingers with it.
	for end := time.Now().Add(15 * time.Second); !strings.Contains(c.stdout.String(), `"outcome": "interrupted"`); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("no report on stdout 15 s after Stop\nstderr:\n%s", c.stderr.String())
		}
	}
	waitFor(t, "report on the page", 5*time.Second, func() bool {
		code, _ := do("GET", "report", map[string]string{"Authorization": auth})
		return code == 200
	})
	_, body := do("GET", "report", map[string]string{"Authorization": auth})
	var onPage report.Report
	if err := json.Unmarshal([]byte(body), &onPage); err != nil || onPage.Run.Outcome != "interrupted" || onPage.Run.ExitCode != 130 {
		t.Errorf("the page's report: %v, run %+v", err, onPage.Run)
	}
	// Ctrl-C ends the linger; the exit code says the run was interrupted.
	c.signal(t, syscall.SIGINT)
	if code := c.wait(t, 10*time.Second); code != exitInterrupted {
		t.Fatalf("exit %d, want 130\n%s", code, c.stderr.String())
	}
	rep := decodeReport(t, c.stdout.String())
	if rep.Run.Outcome != "interrupted" || rep.Run.ID != onPage.Run.ID || rep.Total.Counters.Visits == 0 {
		t.Errorf("report: %+v, want the interrupted run the page showed, with visits", rep.Run)
	}
	stderr := c.stderr.String()
	if strings.Contains(stderr, token) || !strings.Contains(stderr, "stop asked on the live page") {
		t.Errorf("stderr shows the token or not the stop:\n%s", stderr)
	}
}

// waitRunning reads the page's event stream until a state says the run
// is running with visits.
func waitRunning(t *testing.T, url, auth string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"events", nil)
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	running := regexp.MustCompile(`"phase":"running","progress":\{[^}]*"visits":[1-9]`)
	for sc.Scan() {
		if running.MatchString(sc.Text()) {
			return
		}
	}
	t.Fatalf("the page never showed the run running with visits: %v", sc.Err())
}

// TestUILingerEndsWithCtrlC: after the run the page stays up for
// --ui-linger; a Ctrl-C ends the wait at once and the exit code stays the
// run's (0 here), not 130.
func TestUILingerEndsWithCtrlC(t *testing.T) {
	bin := builtBinary(t)
	dir := tree(t, map[string]string{"s.yaml": validScenario})
	c := startChild(t, bin, "apply", filepath.Join(dir, "s.yaml"), "--ui", "127.0.0.1:0", "--ui-linger", "1h",
		"--duration", "1s", "--grace", "0s", "--format", "json", "--state", filepath.Join(t.TempDir(), "s.state"))
	waitFor(t, "the linger line", 20*time.Second, func() bool { return strings.Contains(c.stderr.String(), "live page: the report stays at") })
	if !strings.Contains(c.stdout.String(), `"outcome": "passed"`) {
		t.Fatalf("the report is not on stdout before the linger:\n%s", c.stdout.String())
	}
	c.signal(t, syscall.SIGINT)
	if code := c.wait(t, 10*time.Second); code != 0 {
		t.Errorf("exit %d after a Ctrl-C in the linger, want the run's 0\n%s", code, c.stderr.String())
	}
}
