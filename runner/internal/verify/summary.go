package verify

import (
	"sort"

	"github.com/trafficinator/trafficinator/runner/report"
)

// statusRank orders statuses from worst: the run's is its worst target's.
var statusRank = map[string]int{
	report.VerifyFailed: 0, report.VerifyNotArchived: 1, report.VerifyMismatch: 2,
	report.VerifySkipped: 3, report.VerifyVerified: 4,
}

// Summarize sums up the targets' verifications: the worst status, the
// count by status, and the total rows over the targets that were read.
func Summarize(targets []report.Target) *report.VerificationSummary {
	s := &report.VerificationSummary{Status: report.VerifyVerified, Targets: map[string]int{}, Rows: []report.VerifyRow{}}
	type sum struct{ expected, recorded int64 }
	sums := map[string]*sum{}
	var order []string
	for _, t := range targets {
		v := t.Verification
		if v == nil {
			continue
		}
		s.Targets[v.Status]++
		if statusRank[v.Status] < statusRank[s.Status] {
			s.Status = v.Status
		}
		s.SampleChecked += v.SampleChecked
		s.SampleMismatches += len(v.SampleMismatches)
		if v.Status != report.VerifyVerified && v.Status != report.VerifyMismatch {
			continue
		}
		for _, r := range v.Rows {
			if r.Day != "" {
				continue
			}
			x, ok := sums[r.Figure]
			if !ok {
				x = &sum{}
				sums[r.Figure] = x
				order = append(order, r.Figure)
			}
			x.expected += r.Expected
			x.recorded += r.Recorded
		}
	}
	if len(s.Targets) == 0 {
		s.Status = report.VerifySkipped
	}
	for _, f := range order {
		x := sums[f]
		s.Rows = append(s.Rows, report.VerifyRow{Figure: f, Expected: x.expected, Recorded: x.recorded, Ratio: report.RatioOf(x.expected, x.recorded)})
	}
	return s
}

func sortStrings(s []string) { sort.Strings(s) }
