package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
	"github.com/trafficinator/trafficinator/runner/report"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// trafficinatorBinary builds the command once per test binary.
func trafficinatorBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "trafficinator-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "trafficinator")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/trafficinator").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

// child is an apply run in its own process.
type child struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer // the report (--format json)
	stderr bytes.Buffer
	done   chan struct{}
	code   int
}

func startApply(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(bin, append([]string{"apply", "--no-preflight", "--format", "json"}, args...)...), done: make(chan struct{})}
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	c.cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir())
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := c.cmd.Wait()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee) && ee.ExitCode() >= 0:
			c.code = ee.ExitCode()
		default:
			c.code = -1 // killed by a signal
		}
		close(c.done)
	}()
	return c
}

// sigkillScenario is a backfill of 6 past days (relative to the real
// clock, as the child sees it) of 100 visits, paced so that a run takes
// about 3 s: long enough to be killed many times.
func sigkillScenario(url string, bulk int) string {
	return bfScenario(bfSpec{Targets: []string{url}, Timezone: "UTC", Window: "last_days: 6, offset_days: 2",
		PerDay: "100", RPS: 200, Concurrency: 8, Bulk: bulk, Duration: "{min: 30s, max: 5m}"})
}

// TestBackfillSigkillAtRandomMoments kills apply (SIGKILL, a real child
// process) at 20 seeded random moments spread over a backfill, resuming
// from the journal each time, then once more to the end: the sink got
// every planned hit exactly once, but for those the journal marks
// unknown (in flight at a kill), which it got at most once.
func TestBackfillSigkillAtRandomMoments(t *testing.T) {
	for _, bulk := range []int{0, 10} {
		t.Run(map[int]string{0: "single", 10: "bulk"}[bulk], func(t *testing.T) {
			bin := trafficinatorBinary(t)
			fs, err := loadtest.StartFaultSink(loadtest.FaultConfig{Token: bfToken})
			if err != nil {
				t.Fatal(err)
			}
			defer fs.Close()
			dir := t.TempDir()
			scen := filepath.Join(dir, "backfill.yaml")
			yaml := sigkillScenario(fs.URL, bulk)
			if err := os.WriteFile(scen, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			state := filepath.Join(dir, "run.state")
			rng := rand.New(rand.NewPCG(12, uint64(bulk)))
			kills := 0
			for i := 0; kills < 20; i++ {
				if i > 40 {
					t.Fatalf("only %d kills before the run was over", kills)
				}
				// A kill before the journal was created leaves none: start
				// afresh then.
				args := []string{"--run-id", "kill", "--state", state, scen}
				if _, err := os.Stat(state); err == nil {
					args = []string{"--run-id", "kill", "--resume", state, scen}
				}
				c := startApply(t, bin, args...)
				delay := time.Duration(30+rng.IntN(120)) * time.Millisecond
				select {
				case <-c.done:
					t.Fatalf("run %d ended (exit %d) before its kill at %s:\n%s", i, c.code, delay, c.stderr.String())
				case <-time.After(delay):
				}
				_ = c.cmd.Process.Signal(syscall.SIGKILL)
				<-c.done
				if c.code == -1 {
					kills++
				}
			}
			// On a loaded machine every kill may come before the journal
			// was created: the last run then starts afresh.
			args := []string{"--run-id", "kill", "--state", state, scen}
			_, err = os.Stat(state)
			resumed := err == nil
			if resumed {
				args = []string{"--run-id", "kill", "--resume", state, scen}
			}
			c := startApply(t, bin, args...)
			<-c.done
			st, info, err := journal.ReadFile(state)
			if err != nil {
				t.Fatal(err)
			}
			if info.Ignored != 0 {
				t.Errorf("the journal of a run that ended has a torn record")
			}
			if c.code != 0 && c.code != 1 {
				t.Fatalf("last run: exit %d:\n%s", c.code, c.stderr.String())
			}
			planned := regenerate(t, bfCompile(t, yaml, nil), "kill", time.Now())
			unknown := 0
			for _, pv := range planned {
				for _, o := range st.Hits(pv.v.Index) {
					if o == journal.Unknown {
						unknown++
					}
				}
			}
			// Exit 1 only for unknown hits (unknown_hits): nothing undelivered.
			if (c.code == 1) != (unknown > 0) {
				t.Errorf("last run: exit %d with %d unknown hits:\n%s", c.code, unknown, c.stderr.String())
			}
			if d := loadtest.Duplicates(fs.Recorded()); len(d) > 0 {
				t.Errorf("%d hits or orders recorded twice: %.300q", len(d), d)
			}
			checkExactlyPlanned(t, planned, fs.Recorded(), st)
			// The last attempt's report is the whole job's: the killed
			// attempts left no report, the journal carried their account.
			var rep report.Report
			if err := json.Unmarshal(c.stdout.Bytes(), &rep); err != nil {
				t.Fatalf("last run's report: %v", err)
			}
			if tc := rep.Total.Counters; rep.Run.Resumed != resumed || tc.Visits != int64(len(planned)) || tc.OK+tc.Unknown != plannedHits(planned) ||
				tc.Unknown != int64(unknown) || tc.Failed+tc.Rejected+tc.Unsent != 0 {
				t.Errorf("the last report is not the whole job: resumed %v, %d of %d visits, ok %d + unknown %d of %d hits (the journal: %d unknown), failed %d, rejected %d, unsent %d",
					rep.Run.Resumed, tc.Visits, len(planned), tc.OK, tc.Unknown, plannedHits(planned), unknown, tc.Failed, tc.Rejected, tc.Unsent)
			}
			t.Logf("%d kills; %d hits recorded, %d planned, %d unknown", kills, len(fs.Recorded()), plannedHits(planned), unknown)
		})
	}
}

// TestBackfillInterruptResumes stops a backfill with SIGINT (Ctrl-C):
// exit 130, and the resumed run delivers exactly the plan. Twice SIGINT
// (the second exits at once) leaves a journal that resumes as well.
func TestBackfillInterruptResumes(t *testing.T) {
	bin := trafficinatorBinary(t)
	for _, twice := range []bool{false, true} {
		fs, err := loadtest.StartFaultSink(loadtest.FaultConfig{Token: bfToken})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		scen := filepath.Join(dir, "backfill.yaml")
		yaml := sigkillScenario(fs.URL, 0)
		if err := os.WriteFile(scen, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		state := filepath.Join(dir, "run.state")
		c := startApply(t, bin, "--run-id", "int", "--state", state, scen)
		time.Sleep(700 * time.Millisecond)
		_ = c.cmd.Process.Signal(os.Interrupt)
		if twice {
			time.Sleep(20 * time.Millisecond)
			_ = c.cmd.Process.Signal(os.Interrupt)
		}
		<-c.done
		if c.code != 130 {
			t.Fatalf("twice %v: interrupted run: exit %d, want 130:\n%s", twice, c.code, c.stderr.String())
		}
		r := startApply(t, bin, "--run-id", "int", "--resume", state, scen)
		<-r.done
		st, _, err := journal.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		planned := regenerate(t, bfCompile(t, yaml, nil), "int", time.Now())
		if d := loadtest.Duplicates(fs.Recorded()); len(d) > 0 {
			t.Errorf("twice %v: %d hits recorded twice", twice, len(d))
		}
		checkExactlyPlanned(t, planned, fs.Recorded(), st)
		unknown := false
		for _, pv := range planned {
			for _, o := range st.Hits(pv.v.Index) {
				unknown = unknown || o == journal.Unknown
			}
		}
		if want := map[bool]int{false: 0, true: 1}[unknown]; r.code != want {
			t.Errorf("twice %v: resumed run: exit %d, want %d:\n%s", twice, r.code, want, r.stderr.String())
		}
		if !twice && unknown {
			t.Errorf("a graceful stop left hits of unknown outcome")
		}
		fs.Close()
	}
}
