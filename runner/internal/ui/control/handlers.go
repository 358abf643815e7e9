package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/tables"
	"github.com/trafficinator/trafficinator/runner/report"
)

// maxParam bounds a request parameter: a path in a repository, not a
// document.
const maxParam = 4096

// testTimeout bounds the Test button (the preflight checks one target for
// at most 10 s, all targets at once).
const testTimeout = 30 * time.Second

// param reads one form or query value, refusing one that is too long.
func param(w http.ResponseWriter, r *http.Request, name string) (string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64*1024)
	v := r.FormValue(name)
	if len(v) > maxParam {
		return "", fmt.Errorf("%s is longer than %d bytes", name, maxParam)
	}
	return v, nil
}

// status maps an error about a request's parameters to its HTTP status.
func status(err error) int {
	switch {
	case errors.Is(err, errOutside):
		return http.StatusForbidden
	case errors.Is(err, errNoFile):
		return http.StatusNotFound
	default:
		return http.StatusBadRequest
	}
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	list, err := s.scenarios()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "cannot read the repository: "+err.Error())
		return
	}
	past, err := s.pastRuns()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "cannot read the runs folder: "+err.Error())
		return
	}
	var run *childState
	if c := s.current(); c != nil {
		st := c.state()
		run = &st
	}
	// The folders as given: the page need not show the machine's layout.
	s.render(w, r, http.StatusOK, "index", map[string]any{
		"Dir": s.cfg.Dir, "Runs": s.cfg.Runs, "Scenarios": list, "Past": past, "Run": run,
	})
}

// requestedPlan compiles the scenario the request names (?file= or the
// form's), answering the error itself when it cannot; ok false then.
func (s *Server) requestedPlan(w http.ResponseWriter, r *http.Request) (file string, p *plan.Plan, ok bool) {
	file, err := param(w, r, "file")
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return "", nil, false
	}
	p, err = s.compile(file)
	if err != nil {
		s.fail(w, r, status(err), err.Error())
		return "", nil, false
	}
	return file, p, true
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	file, p, ok := s.requestedPlan(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := plan.WriteHTML(&b, p); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	s.render(w, r, http.StatusOK, "fragment", map[string]any{"Title": "Plan of " + file, "File": file, "Body": trusted(b.String())})
}

func (s *Server) test(w http.ResponseWriter, r *http.Request) {
	file, p, ok := s.requestedPlan(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), testTimeout)
	defer cancel()
	rows, err := s.cfg.Preflight(ctx, p)
	var b bytes.Buffer
	if len(rows) > 0 {
		h := tables.NewHTML(&b)
		_ = report.WritePreflight(h, rows)
		_ = h.Close()
	}
	verdict := "every target passed the preflight: apply would start"
	if err != nil {
		verdict = "apply would not start: " + err.Error()
	}
	s.render(w, r, http.StatusOK, "fragment", map[string]any{
		"Title": "Test of " + file, "File": file, "Verdict": verdict, "Failed": err != nil, "Body": trusted(b.String()),
	})
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	file, err := param(w, r, "file")
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	_, path, err := s.load(file)
	if err != nil {
		s.fail(w, r, status(err), err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cur; c != nil && c.running() {
		s.fail(w, r, http.StatusConflict, fmt.Sprintf("a run is in progress (%s, run %s): one run at a time, stop it first", c.Scenario, c.RunID))
		return
	}
	c, err := startChild(s.cfg.Exe, s.cfg.Env, s.cfg.EnvFiles, file, path, s.runs.abs, s.cfg.Log)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "cannot start the run: "+err.Error())
		return
	}
	s.cur = c
	http.Redirect(w, r, "./", http.StatusSeeOther)
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	c := s.current()
	if c == nil || !c.running() {
		s.fail(w, r, http.StatusConflict, "no run is in progress")
		return
	}
	c.stop()
	http.Redirect(w, r, "./", http.StatusSeeOther)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	name, err := param(w, r, "name")
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if strings.Contains(name, "/") {
		s.fail(w, r, http.StatusForbidden, fmt.Sprintf("%q: %v", name, errOutside))
		return
	}
	path, err := s.runs.resolve(name)
	if err == nil && !strings.HasSuffix(name, ".json") {
		err = fmt.Errorf("%q: %w", name, errNotReport)
	}
	if err != nil {
		s.fail(w, r, status(err), err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	http.ServeFile(w, r, path)
}

func (s *Server) diff(w http.ResponseWriter, r *http.Request) {
	var in [2]report.Input
	for i, key := range []string{"base", "current"} {
		name, err := param(w, r, key)
		if err == nil && name == "" {
			err = errors.New("choose a base and a current run to compare")
		}
		if err == nil && strings.Contains(name, "/") {
			err = fmt.Errorf("%q: %w", name, errOutside)
		}
		if err != nil {
			s.fail(w, r, status(err), err.Error())
			return
		}
		rep, err := s.readReport(name)
		if err != nil {
			s.fail(w, r, status(err), err.Error())
			return
		}
		in[i] = report.Input{Source: name, Report: rep}
	}
	var b bytes.Buffer
	if err := report.WriteDiffHTML(&b, report.Compare(in[0], in[1], report.Thresholds{})); err != nil {
		s.fail(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	s.render(w, r, http.StatusOK, "fragment", map[string]any{"Title": "Diff of " + in[0].Source + " and " + in[1].Source, "Body": trusted(b.String())})
}

// stateJSON is the run in progress or last finished, for scripts and
// tests: {"run": null} when none was started.
func (s *Server) stateJSON(w http.ResponseWriter, _ *http.Request) {
	var run *childState
	if c := s.current(); c != nil {
		st := c.state()
		run = &st
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"run": run})
}
