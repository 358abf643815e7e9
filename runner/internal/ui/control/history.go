package control

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// pastRun is one report in the runs folder.
type pastRun struct {
	File     string // name inside the runs folder
	Scenario string
	RunID    string
	Start    time.Time
	Outcome  string // passed | failed | aborted | interrupted
	ExitCode int
	Visits   int64
	Problem  string // the report could not be read
}

// pastRuns lists the reports (*.json) directly in the runs folder, newest
// first; a file that is not a readable report is listed with its problem.
func (s *Server) pastRuns() ([]pastRun, error) {
	ents, err := os.ReadDir(s.runs.root)
	if err != nil {
		return nil, err
	}
	var out []pastRun
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		pr := pastRun{File: e.Name()}
		path, err := s.runs.resolve(e.Name())
		if err != nil {
			continue // a symlink out of the folder: not listed, not served
		}
		r, err := report.ReadFile(path)
		if err != nil {
			pr.Problem = "not a readable report"
			if info, statErr := e.Info(); statErr == nil {
				pr.Start = info.ModTime()
			}
			out = append(out, pr)
			continue
		}
		pr.Scenario, pr.RunID, pr.Start = r.Scenario.Name, r.Run.ID, r.Run.Start
		pr.Outcome, pr.ExitCode, pr.Visits = r.Run.Outcome, r.Run.ExitCode, r.Total.Counters.Visits
		out = append(out, pr)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.After(out[j].Start)
		}
		return out[i].File > out[j].File
	})
	return out, nil
}

// readReport reads the report name names in the runs folder.
func (s *Server) readReport(name string) (*report.Report, error) {
	path, err := s.runs.resolve(name)
	if err != nil {
		return nil, err
	}
	if filepath.Ext(path) != ".json" {
		return nil, errNotReport
	}
	r, err := report.ReadFile(path)
	if err != nil {
		return nil, errNotReport
	}
	return r, nil
}
