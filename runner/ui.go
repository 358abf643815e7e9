package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/ui/control"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
)

// ControlOptions configure the control page of a scenario repository
// (trafficinator ui DIR).
type ControlOptions struct {
	// Dir is the repository; Runs the folder of the reports of the runs
	// started from the page (created when missing).
	Dir, Runs string
	// Addr is HOST:PORT (port 0: any free port). Token is required on a
	// non-loopback address (web.CheckBind).
	Addr, Token string
	// EnvFiles are --env-file, read for the page and passed on to runs.
	EnvFiles []string
	// Log receives the page's address and the runs' output (stderr).
	Log io.Writer
	// Ready, when set, receives the page's address once it listens.
	Ready func(url string)
}

// controlCloseTimeout bounds how long ui waits, once interrupted, for the
// run in progress to stop (its grace, 30 s by default) and write its
// report.
const controlCloseTimeout = 2 * time.Minute

// ServeControl serves the control page until ctx ends (Ctrl-C), then stops
// the run in progress as one Ctrl-C does, waits for its report, and
// returns. It refuses a non-loopback address without a token.
func ServeControl(ctx context.Context, o ControlOptions) error {
	if err := web.CheckBind(o.Addr, o.Token); err != nil {
		return err
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	guard, err := web.NewGuard(o.Token)
	if err != nil {
		return err
	}
	ctl, err := control.New(control.Config{
		Dir: o.Dir, Runs: o.Runs, EnvFiles: o.EnvFiles, Env: os.Environ(), Exe: exe, Log: o.Log,
		Preflight: Preflight,
		CSRF:      func(*http.Request) string { return guard.CSRF() },
	})
	if err != nil {
		return err
	}
	srv, err := web.Listen(o.Addr, o.Token, guard.Wrap(ctl.Handler()))
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Log, "control page at %s\n", srv.URL())
	if o.Ready != nil {
		o.Ready(srv.URL())
	}
	<-ctx.Done()
	closeCtx, cancel := context.WithTimeout(context.Background(), controlCloseTimeout)
	defer cancel()
	closeErr := ctl.Close(closeCtx)
	if err := srv.Stop(); err != nil {
		return err
	}
	return closeErr
}
