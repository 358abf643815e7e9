// Package live serves a run's figures for Prometheus while the run goes on
// (apply --metrics-addr). Nothing is counted twice: at each scrape the
// collector reads the recorders the runner keeps anyway, so a run without
// a scraper pays nothing and one with a scraper pays per scrape, not per
// hit.
package live

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// Source is what the runner shows. Its methods are called from HTTP
// goroutines while the run goes on, so they must be safe for concurrent
// use with it.
type Source interface {
	Run() RunState
	Targets() []TargetState
	Policies() []PolicyState
}

// RunState identifies the run.
type RunState struct {
	Scenario string
	RunID    string
	Seed     uint64
	Elapsed  time.Duration
}

// TargetState is one target's figures since the start of the run.
type TargetState struct {
	Name     string
	Enabled  bool   // false once the preflight or a policy took it out
	Disabled string // why it is not enabled (the preflight, a policy); "" while enabled
	Health   string // metrics.HealthOf over the last minute
	Snapshot metrics.Snapshot
}

// PolicyState is where one policy stands on one scope.
type PolicyState struct {
	Policy  string
	Target  string // "" for the run scope
	Action  string
	Holding bool // its condition held at the last evaluation
	Fired   int  // times it fired so far
	// Firing: it fired in the current episode (its condition has held
	// since); Holding without Firing is pending (its for: runs).
	Firing bool
	When   string
	Values map[string]float64 // what the expression read at the last evaluation
}

// PageSource is a Source with what the live page shows beyond the
// metrics (apply --ui). The page reads it about once a second.
type PageSource interface {
	Source
	Page() PageState
}

// Phases of a run, in order.
const (
	PhasePreflight = "preflight"
	PhaseRunning   = "running"
	PhaseGrace     = "grace" // arrivals ended; the visits in flight finish
	PhaseDone      = "done"
)

// PageState is where the run stands as a whole.
type PageState struct {
	Phase    string
	Progress Progress
	Logs     []string       // the last log lines, oldest first, secrets redacted
	Backfill *BackfillState // nil for a realtime run
}

// Progress is the run against its plan, as the progress line shows it.
type Progress struct {
	Elapsed   time.Duration
	Planned   time.Duration // 0: open-ended
	MaxVisits int64         // run.max_visits; 0: none
	Visits    int64
	Dropped   int64
	Hits      int64
	Errors    int64
	P95Ms     float64 // over the last minute
	Rate      float64 // visits started per second over the last 10 s
	InFlight  int64
	// AutoLimit is the visits rps: auto allows in flight now; 0 otherwise.
	AutoLimit int
}

// BackfillState is how far a backfill is.
type BackfillState struct {
	Days     int // in the window
	DaysDone int // complete (everything delivered or accounted)
	// AutoLimit is the visits rps: auto allows in flight now, SettledRPS
	// the rate it settled on once that is known; 0 otherwise.
	AutoLimit  int
	SettledRPS float64
}
