package report

import (
	"fmt"
	"strings"
)

// verificationCases are the JUnit test cases of verification: per target,
// one per figure (its total over the run's days; a failure when it
// differs, listing the days that do) and one for the sampled visits. A
// skipped target is one skipped case with its reason; a target that could
// not be read (failed, not archived) one failing case.
func verificationCases(suite string, targets []Target) []junitCase {
	var out []junitCase
	for _, t := range targets {
		v := t.Verification
		if v == nil {
			continue
		}
		class := suite + "." + t.Name
		switch v.Status {
		case VerifySkipped:
			out = append(out, junitCase{Name: "verification", Classname: class, Time: "0", Skipped: &junitSkipped{Message: xmlText(v.Reason)}})
			continue
		case VerifyFailed, VerifyNotArchived:
			msg := "verification " + v.Status + ": " + v.Reason
			out = append(out, junitCase{Name: "verification", Classname: class, Time: "0",
				Failure: &junitFailure{Message: xmlText(msg), Type: v.Status, Text: xmlText(msg + "\n")}})
			continue
		}
		for _, row := range v.Rows {
			if row.Day != "" {
				continue
			}
			c := junitCase{Name: "verification: " + row.Figure, Classname: class, Time: "0"}
			if !row.Matches() {
				msg := fmt.Sprintf("%s: expected %d, recorded %d (ratio %s)", row.Figure, row.Expected, row.Recorded, RatioText(row.Ratio))
				c.Failure = &junitFailure{Message: xmlText(msg), Type: VerifyMismatch, Text: xmlText(msg + "\n" + dayLines(v.Rows, row.Figure))}
			}
			out = append(out, c)
		}
		c := junitCase{Name: "verification: sampled visits", Classname: class, Time: "0"}
		if n := len(v.SampleMismatches); n > 0 {
			var b strings.Builder
			for _, m := range v.SampleMismatches {
				fmt.Fprintf(&b, "visitor %s: %s\n", m.VisitorID, m.Difference)
			}
			msg := fmt.Sprintf("%d of %d sampled visits recorded otherwise", n, v.SampleChecked)
			c.Failure = &junitFailure{Message: msg, Type: VerifyMismatch, Text: xmlText(b.String())}
		}
		out = append(out, c)
	}
	return out
}

// dayLines lists the days on which figure differs.
func dayLines(rows []VerifyRow, figure string) string {
	var b strings.Builder
	for _, r := range rows {
		if r.Figure == figure && r.Day != "" && !r.Matches() {
			fmt.Fprintf(&b, "%s: expected %d, recorded %d (ratio %s)\n", r.Day, r.Expected, r.Recorded, RatioText(r.Ratio))
		}
	}
	return b.String()
}
