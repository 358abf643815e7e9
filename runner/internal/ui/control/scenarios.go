package control

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// entry is one scenario file of the repository with its validate verdict.
type entry struct {
	File     string   // slash-separated, relative to the repository
	Name     string   // metadata.name, when the file decoded
	OK       bool     // valid: it can be planned, tested and started
	Problems []string // errors as file:line:col: message
	Warnings int
}

// loadOptions are validate's: secrets are for apply, so an unset variable
// where a secret can be is a note.
func (s *Server) loadOptions() scenario.Options {
	return scenario.Options{Lookup: s.lookup, Converters: scenario.Converters(), CheckTarget: plan.CheckTarget, DeferSecrets: true}
}

// scenarios walks the repository as validate DIR does and gives each
// scenario file its verdict. It reads the files again on every call: the
// page shows the repository as it is now.
func (s *Server) scenarios() ([]entry, error) {
	results, _, err := scenario.LoadWalk([]string{s.repo.abs}, s.loadOptions())
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, r := range results {
		file := ""
		if r.Source != nil {
			file = s.repo.rel(r.Source.File)
		}
		if file == "" {
			continue // outside the repository: never served
		}
		e := entry{File: file, OK: r.Valid()}
		if _, err := s.repo.resolve(file); err != nil {
			// A symlink out of the repository: validate checks it, the
			// page never serves it.
			out = append(out, entry{File: file, Problems: []string{file + ": leads outside the repository: listed, never served"}})
			continue
		}
		if r.Scenario != nil {
			e.Name = r.Scenario.Metadata.Name
		}
		for _, d := range r.Diags {
			switch d.Severity {
			case scenario.SeverityError:
				e.Problems = append(e.Problems, s.diagText(d))
			case scenario.SeverityWarning:
				e.Warnings++
			}
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// diagText is a diagnostic as file:line:col: message, the file relative
// to the repository.
func (s *Server) diagText(d scenario.Diagnostic) string {
	file := s.repo.rel(d.File)
	if file == "" {
		file = filepath.Base(d.File)
	}
	msg := d.Message
	if d.Hint != "" {
		msg += " (" + d.Hint + ")"
	}
	return fmt.Sprintf("%s:%d:%d: %s", file, d.Line, d.Column, strings.TrimSpace(msg))
}

// load loads the scenario file rel names inside the repository, refusing
// a path that escapes it or a file that is not a valid scenario.
func (s *Server) load(rel string) (*scenario.Result, string, error) {
	path, err := s.repo.resolve(rel)
	if err != nil {
		return nil, "", err
	}
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".yaml" && ext != ".yml" {
		return nil, "", fmt.Errorf("%q: %w", rel, errNotScenario)
	}
	res := scenario.LoadFile(path, s.loadOptions())
	if !res.Valid() {
		var msgs []string
		for _, d := range res.Diags {
			if d.Severity == scenario.SeverityError {
				msgs = append(msgs, s.diagText(d))
			}
		}
		return nil, "", fmt.Errorf("%s is not a valid scenario: %s", rel, strings.Join(msgs, "; "))
	}
	return res, path, nil
}

// compile is plan FILE's plan of the scenario rel names: without a seed it
// shows 0, as plan does.
func (s *Server) compile(rel string) (*plan.Plan, error) {
	res, _, err := s.load(rel)
	if err != nil {
		return nil, err
	}
	return plan.Compile(res.Scenario, plan.Options{RandomSeed: func() uint64 { return 0 }})
}
