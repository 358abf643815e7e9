// Package control is the control page of a scenario repository
// (trafficinator ui DIR): it lists the scenarios with their validate
// verdict, shows a scenario's plan, tests its targets (the preflight
// alone), starts one run at a time as a child `trafficinator apply` whose
// live page it proxies under /live/, stops it as one Ctrl-C does, and
// lists the reports of past runs with report diff between two of them.
//
// It never edits a file and never asks for a secret: secrets come from the
// environment or --env-file, as in the CLI. The handler it returns is
// unguarded; the caller wraps it in the web Guard (token, CSRF, origin,
// headers), which checks every request before this package sees it.
package control

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"sync"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
)

// Config is what the control page serves and how it runs scenarios.
type Config struct {
	// Dir is the scenario repository; Runs the folder of the reports of
	// runs started here (created when missing).
	Dir, Runs string
	// EnvFiles are --env-file: read for validate's verdicts and the plans,
	// and passed on to every run.
	EnvFiles []string
	// Env is the runs' environment (os.Environ()): their secrets.
	Env []string
	// Exe is the trafficinator binary that runs `apply` (os.Executable()).
	Exe string
	// Preflight runs a plan's preflight alone (runner.Preflight).
	Preflight func(context.Context, *plan.Plan) ([]report.PreflightRow, error)
	// CSRF returns the token a page carries for its POSTs (the Guard's).
	CSRF func(*http.Request) string
	// Log receives the runs' output (the ui command's stderr); nil: none.
	Log io.Writer
}

// Server is the control page.
type Server struct {
	cfg    Config
	repo   folder
	runs   folder
	lookup scenario.Lookup

	mu  sync.Mutex
	cur *child // the run started last, running or done
}

var (
	errNotScenario = errors.New("not a scenario file (*.yaml or *.yml)")
	errNotReport   = errors.New("not a readable report")
)

// New checks the folders and reads the --env-file files.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.CSRF == nil {
		cfg.CSRF = func(*http.Request) string { return "" }
	}
	repo, err := newFolder(cfg.Dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Runs, 0o755); err != nil {
		return nil, err
	}
	runs, err := newFolder(cfg.Runs)
	if err != nil {
		return nil, err
	}
	lookup, diags := scenario.EnvLookup(cfg.EnvFiles)
	if diags.HasErrors() {
		return nil, errors.New(diags[0].Message)
	}
	return &Server{cfg: cfg, repo: repo, runs: runs, lookup: lookup}, nil
}

// Handler serves the page; wrap it in the Guard.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.index)
	mux.HandleFunc("GET /plan", s.plan)
	mux.HandleFunc("GET /report", s.download)
	mux.HandleFunc("GET /diff", s.diff)
	mux.HandleFunc("GET /state.json", s.stateJSON)
	mux.Handle("GET /static/", staticHandler())
	// The state changes: POST only (405 otherwise); behind the Guard
	// they have passed its origin and CSRF checks.
	mux.Handle("/start", web.Action(http.HandlerFunc(s.start)))
	mux.Handle("/stop", web.Action(http.HandlerFunc(s.stop)))
	mux.Handle("/test", web.Action(http.HandlerFunc(s.test)))
	mux.HandleFunc("/live/", s.live)
	return mux
}

// Close stops a run in progress as one Ctrl-C does and waits until it has
// written its report, or ctx ends.
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	if c == nil {
		return nil
	}
	c.stop()
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		_ = c.cmd.Process.Kill()
		return ctx.Err()
	}
}

// current is the run started last, or nil.
func (s *Server) current() *child {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}
