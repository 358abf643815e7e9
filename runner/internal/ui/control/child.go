package control

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
)

// tailLines is how many of the child's last stderr lines the page shows.
const tailLines = 40

// child is one run of a scenario: `trafficinator apply` as a child
// process of this binary, so that it behaves exactly as the CLI (flags,
// environment, --env-file, exit codes, the report), with its live page on
// a loopback port that the control page proxies under /live/.
type child struct {
	Scenario string    // the file, relative to the repository
	RunID    string    // --run-id
	Report   string    // the report's file name in the runs folder
	Started  time.Time // when the process started

	cmd   *exec.Cmd
	token string // the child's own UI token, given as TRAFFICINATOR_UI_TOKEN
	done  chan struct{}

	mu      sync.Mutex
	live    *url.URL // the child's live page, once it said where
	tail    []string
	stopped bool // Stop sent its one SIGINT
	exit    int  // once done
}

// liveLine is what apply prints once its live page listens.
var liveLine = regexp.MustCompile(`^live page at (http://[^ ]+)`)

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// startChild starts `exe apply FILE --ui 127.0.0.1:0 --out REPORT --run-id ID`
// with env (the caller's environment, the UI token replaced by the
// child's own) and --env-file passed through.
func startChild(exe string, env, envFiles []string, rel, path, runs string, log io.Writer) (*child, error) {
	now := time.Now()
	c := &child{
		Scenario: rel, RunID: "ui-" + randomHex(4), Started: now,
		Report: now.UTC().Format("20060102T150405Z") + "-" + reportStem(rel) + ".json",
		token:  randomHex(16), done: make(chan struct{}),
	}
	args := []string{"apply", path, "--ui", "127.0.0.1:0", "--out", filepath.Join(runs, c.Report), "--run-id", c.RunID}
	for _, f := range envFiles {
		args = append(args, "--env-file", f)
	}
	c.cmd = exec.Command(exe, args...)
	c.cmd.Env = append(withoutVar(env, "TRAFFICINATOR_UI_TOKEN"), "TRAFFICINATOR_UI_TOKEN="+c.token)
	c.cmd.Stdout = log
	detach(c.cmd)
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	go c.watch(stderr, log)
	return c, nil
}

// watch reads the child's stderr (the live page's address, the lines the
// page shows), then waits for its exit.
func (c *child) watch(stderr io.Reader, log io.Writer) {
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		_, _ = io.WriteString(log, line+"\n")
		c.mu.Lock()
		if m := liveLine.FindStringSubmatch(line); m != nil && c.live == nil {
			if u, err := url.Parse(m[1]); err == nil && web.IsLoopbackHost(u.Hostname()) {
				c.live = u
				if c.stopped { // a stop that came first
					_ = interrupt(c.cmd.Process)
				}
			}
		}
		c.tail = append(c.tail, line)
		if len(c.tail) > tailLines {
			c.tail = c.tail[len(c.tail)-tailLines:]
		}
		c.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, stderr)
	err := c.cmd.Wait()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
	}
	c.mu.Lock()
	c.exit = code
	c.mu.Unlock()
	close(c.done)
}

// running says whether the child has not exited yet.
func (c *child) running() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// stop sends the one SIGINT of a graceful stop (one Ctrl-C: apply lets
// in-flight visits finish, writes the report and exits 130). A second
// call does nothing: the page has no hard stop. Before apply has said
// where its live page is, it may not handle SIGINT yet (the signal would
// kill it without a report): the SIGINT is then sent when it says so.
func (c *child) stop() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || !c.running() {
		return false
	}
	c.stopped = true
	if c.live != nil {
		_ = interrupt(c.cmd.Process)
	}
	return true
}

// liveURL is the child's live page, nil until it listens.
func (c *child) liveURL() *url.URL {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// state is a copy of what the page shows of the child.
type childState struct {
	Scenario, RunID, Report string
	Started                 time.Time
	Running, Stopping, Live bool
	Exit                    int
	Tail                    []string
}

func (c *child) state() childState {
	c.mu.Lock()
	defer c.mu.Unlock()
	run := c.running()
	return childState{
		Scenario: c.Scenario, RunID: c.RunID, Report: c.Report, Started: c.Started,
		Running: run, Stopping: c.stopped && run, Live: c.live != nil && run,
		Exit: c.exit, Tail: append([]string(nil), c.tail...),
	}
}

// reportStem is a file-name-safe stem of a scenario's path.
func reportStem(rel string) string {
	stem := strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel))
	stem = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, stem)
	if stem == "" {
		stem = "scenario"
	}
	return stem
}

func withoutVar(env []string, name string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
