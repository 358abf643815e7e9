package report

import "github.com/trafficinator/trafficinator/targets/kind"

// Expected is what a run expects Matomo to have recorded for one target:
// its own accounting of the ok hits, per day in the run's timezone, in the
// terms of Matomo's reports, plus a seeded sample of visits to compare
// one by one (docs/verify.md).
type Expected struct {
	Timezone    string           `json:"timezone"` // run.timezone
	Days        []ExpectedDay    `json:"days"`
	Total       kind.Figures     `json:"total"`
	UnknownHits int64            `json:"unknown_hits"`
	Sample      []kind.LiveVisit `json:"sample"`
	SampleSize  int              `json:"sample_size"`
}

// ExpectedDay is the figures of one day (YYYY-MM-DD).
type ExpectedDay struct {
	Date string `json:"date"`
	kind.Figures
}
