package model

import (
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// LoadLocation resolves a scenario timezone; "" is UTC.
func LoadLocation(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	return time.LoadLocation(name)
}

func (c *checker) checkRun() {
	r := &c.s.Run
	c.rate("/run/rate", r.Rate)
	c.duration("/run/duration", r.Duration)
	c.runDurationNotZero(r.Duration)
	for i := range r.Stages {
		p := idx("/run/stages", i)
		c.duration(p+"/duration", &r.Stages[i].Duration)
		c.rate(p+"/rate", &r.Stages[i].Rate)
	}
	if _, err := LoadLocation(r.Timezone); err != nil {
		c.errorf("/run/timezone", "use an IANA name such as Europe/Stockholm, America/New_York or UTC",
			"unknown timezone %q", r.Timezone)
	}
	if r.Mode != "backfill" && r.Duration == nil && r.MaxVisits == 0 && len(r.Stages) == 0 {
		c.at(diag.Warning, c.src.Pos("/run", true), "/run",
			"no stop condition: the run goes on until it is interrupted",
			"set run.duration or run.max_visits")
	}
}

// runDurationNotZero refuses run.duration: 0. It once meant "forever",
// which nothing said; forever is written by leaving duration out (and a
// warning says so). Only run.duration: 0s stays valid for for: and pauses.
func (c *checker) runDurationNotZero(d *Duration) {
	if d != nil && d.Err == "" && d.D == 0 {
		c.at(diag.Error, d.Pos, "/run/duration", "run.duration is 0: a run needs a duration above 0",
			"leave duration out to run until interrupted (or until run.max_visits)")
	}
}
