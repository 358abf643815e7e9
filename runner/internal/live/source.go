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
}
