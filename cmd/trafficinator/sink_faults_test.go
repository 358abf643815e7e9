package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// startSinkCLI runs "trafficinator sink --listen 127.0.0.1:0 ARGS..." in
// process until the test ends, and returns its base URL and the line that
// followed the start line.
func startSinkCLI(t *testing.T, args ...string) (base, second string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	app := newApp(pw, &stderr)
	done := make(chan error, 1)
	go func() {
		err := app.RunContext(ctx, reorderArgs(app, append([]string{"trafficinator", "sink", "--listen", "127.0.0.1:0"}, args...)))
		pw.Close()
		done <- err
	}()
	rd := bufio.NewReader(pr)
	t.Cleanup(func() {
		cancel()
		_, _ = io.Copy(io.Discard, rd)
		if err := <-done; err != nil {
			t.Errorf("sink %v: %v\n%s", args, err, stderr.String())
		}
	})
	line, _ := rd.ReadString('\n')
	m := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+) `).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("sink %v: start line %q, stderr %q", args, line, stderr.String())
	}
	second, _ = rd.ReadString('\n')
	return m[1], second
}

// --fault makes the sink answer requests carrying hits with the fault's
// exact status and Retry-After; --fault-first lets the rest through.
func TestSinkFaultFlagsAnswer(t *testing.T) {
	for _, c := range []struct {
		args     []string
		note     string
		statuses []int
		retry    string
	}{
		{[]string{"--fault", "throttle", "--retry-after", "5"},
			"trafficinator sink injects fault throttle on every tracking request carrying hits, Retry-After: 5\n",
			[]int{429, 429}, "5"},
		{[]string{"--fault", "unavailable", "--fault-first", "1"},
			"trafficinator sink injects fault unavailable on the first tracking request carrying hits\n",
			[]int{503, 204}, ""},
	} {
		base, note := startSinkCLI(t, c.args...)
		if note != c.note {
			t.Errorf("%v: second line %q, want %q", c.args, note, c.note)
		}
		for i, want := range c.statuses {
			resp, err := http.Post(base+"/matomo.php", "application/x-www-form-urlencoded",
				strings.NewReader("idsite=1&rec=1&_id=0123456789abcdef&url=https%3A%2F%2Fx.example%2F&send_image=0"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			retry := c.retry
			if want == 204 {
				retry = ""
			}
			if resp.StatusCode != want || resp.Header.Get("Retry-After") != retry {
				t.Errorf("%v, request %d: status %d, Retry-After %q; want %d, %q", c.args, i, resp.StatusCode, resp.Header.Get("Retry-After"), want, retry)
			}
		}
		// A request without hits (a preflight's) is never faulted.
		resp, err := http.Get(base + "/matomo.php?idsite=1&send_image=0")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 204 {
			t.Errorf("%v: a request without hits got %d, want 204", c.args, resp.StatusCode)
		}
	}
}

func TestSinkFaultFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--fault", "slow"}, `trafficinator: --fault: unknown fault "slow" (want slow-answer, reset-after-read, throttle, unavailable)` + "\n"},
		{[]string{"--retry-after", "1"}, "trafficinator: --fault-first, --fault-delay and --retry-after need --fault\n"},
		{[]string{"--fault", "slow-answer", "--fault-delay", "0s"}, "trafficinator: --fault-delay must be greater than 0\n"},
		{[]string{"--fault", "throttle", "--fault-delay", "1s"}, "trafficinator: --fault-delay 1s: want a positive duration, with --fault slow-answer\n"},
		{[]string{"--fault", "throttle", "--retry-after", "soon"}, `trafficinator: --retry-after "soon": want a whole number of seconds, such as 1` + "\n"},
	} {
		code, stdout, stderr := runCLI(t, append([]string{"sink", "--listen", "127.0.0.1:0"}, c.args...)...)
		if code != exitUsage || stderr != c.want || stdout != "" {
			t.Errorf("sink %v: exit %d, want %d and %q:\n%s%s", c.args, code, exitUsage, c.want, stdout, stderr)
		}
	}
}
