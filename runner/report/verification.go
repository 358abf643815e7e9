package report

// Verification statuses of a target (and of the run, the worst of its
// targets'), in order of precedence for the run's.
const (
	VerifyFailed      = "failed"       // the Reporting API could not be read
	VerifyNotArchived = "not_archived" // a day has raw visits but no archive
	VerifyMismatch    = "mismatch"     // a figure or a sampled visit differs
	VerifySkipped     = "skipped"      // no token, or a kind without the API
	VerifyVerified    = "verified"     // every figure and sampled visit matches
)

// Verification is what delivery verification found for one target
// (docs/verify.md): Matomo's figures beside the run's, and the sampled
// visits that differ.
type Verification struct {
	Status string `json:"status"`
	// Reason says why a target was skipped, failed or not archived.
	Reason string `json:"reason,omitempty"`
	// SiteTimezone is the site's timezone (SitesManager.getSiteFromId).
	SiteTimezone string `json:"site_timezone,omitempty"`
	// Days are the site's days read (YYYY-MM-DD).
	Days []string `json:"days,omitempty"`
	// Baseline says the figures read before the run were subtracted.
	Baseline bool     `json:"baseline,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Rows compare each figure per day and in total (Day "").
	Rows             []VerifyRow      `json:"rows"`
	SampleChecked    int              `json:"sample_checked"`
	SampleMismatches []SampleMismatch `json:"sample_mismatches"`
}

// VerifyRow is one figure of one day ("" for the total over the days).
type VerifyRow struct {
	Figure   string `json:"figure"`
	Day      string `json:"day"`
	Expected int64  `json:"expected"`
	Recorded int64  `json:"recorded"`
	// Ratio is recorded/expected, 1 when both are 0; null when only
	// expected is 0 (something was recorded that was never sent).
	Ratio *float64 `json:"ratio"`
}

// Matches says the figure was recorded exactly as expected.
func (r VerifyRow) Matches() bool { return r.Expected == r.Recorded }

// RatioOf is recorded/expected: 1 when both are 0, nil when only
// expected is.
func RatioOf(expected, recorded int64) *float64 {
	var q float64
	switch {
	case expected == 0 && recorded == 0:
		q = 1
	case expected == 0:
		return nil
	default:
		q = float64(recorded) / float64(expected)
	}
	return &q
}

// SampleMismatch is one sampled visit that Matomo recorded otherwise.
type SampleMismatch struct {
	VisitorID  string `json:"visitor_id"`
	Difference string `json:"difference"` // the first difference
}

// VerificationSummary is the run's account over its targets.
type VerificationSummary struct {
	// Status is the worst of the targets' (VerifyFailed first).
	Status string `json:"status"`
	// Targets counts the targets by status.
	Targets map[string]int `json:"targets"`
	// Rows are the totals of every figure over the targets verified
	// (status verified or mismatch).
	Rows             []VerifyRow `json:"rows"`
	SampleChecked    int         `json:"sample_checked"`
	SampleMismatches int         `json:"sample_mismatches"`
}
