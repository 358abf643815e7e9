package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// maxListedMismatches bounds the sampled visits a table lists per target;
// the JSON report has them all.
const maxListedMismatches = 10

// WriteVerifyTable renders what trafficinator verify found: the run it
// verified, its outcome now, the verification and the policies.
func WriteVerifyTable(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "Scenario %s (%s) — run %s, verified\n", r.Scenario.Name, r.Scenario.File, r.Run.ID)
	fmt.Fprintf(w, "Outcome: %s; exit code %d\n", strings.ToUpper(r.Run.Outcome), r.Run.ExitCode)
	writeWarnings(w, r.Warnings)
	if err := WriteVerification(w, r); err != nil {
		return err
	}
	return writePolicies(w, r)
}

// WriteVerification renders the verification of a run for people: a
// status line, then per target its status, warnings, the totals of every
// figure (and the days whose figures differ), and the sampled visits
// Matomo recorded otherwise. It writes nothing for a run not verified.
func WriteVerification(w io.Writer, r *Report) error {
	s := r.Verification
	if s == nil {
		return nil
	}
	fmt.Fprintf(w, "\nVerification: %s (%s); %d sampled visits checked, %d recorded otherwise\n",
		strings.ToUpper(s.Status), statusCounts(s.Targets), s.SampleChecked, s.SampleMismatches)
	o := newTable(w)
	o.Header([]string{"target", "status", "visits expected", "visits recorded", "ratio", "sampled", "mismatches", "reason"})
	for _, t := range r.Targets {
		v := t.Verification
		if v == nil {
			continue
		}
		row := []string{t.Name, v.Status, "", "", "", strconv.Itoa(v.SampleChecked), strconv.Itoa(len(v.SampleMismatches)), v.Reason}
		for _, x := range v.Rows {
			if x.Day == "" && x.Figure == "visits" {
				row[2], row[3], row[4] = i64(x.Expected), i64(x.Recorded), RatioText(x.Ratio)
			}
		}
		_ = o.Append(row)
	}
	if len(r.Targets) > 1 {
		row := []string{"total", s.Status, "", "", "", strconv.Itoa(s.SampleChecked), strconv.Itoa(s.SampleMismatches), ""}
		for _, x := range s.Rows {
			if x.Figure == "visits" {
				row[2], row[3], row[4] = i64(x.Expected), i64(x.Recorded), RatioText(x.Ratio)
			}
		}
		_ = o.Append(row)
	}
	if err := o.Render(); err != nil {
		return err
	}
	for _, t := range r.Targets {
		if err := writeTargetVerification(w, t.Name, t.Verification); err != nil {
			return err
		}
	}
	return nil
}

func statusCounts(m map[string]int) string {
	var parts []string
	for _, st := range []string{VerifyVerified, VerifyMismatch, VerifySkipped, VerifyNotArchived, VerifyFailed} {
		if m[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[st], st))
		}
	}
	if len(parts) == 0 {
		return "no target"
	}
	return strings.Join(parts, ", ")
}

// writeTargetVerification details a target that was read: its figures
// and sampled visits; the overview says why the others were not.
func writeTargetVerification(w io.Writer, name string, v *Verification) error {
	if v == nil || (len(v.Rows) == 0 && len(v.Warnings) == 0) {
		return nil
	}
	fmt.Fprintf(w, "\ntarget %s: %s", name, strings.ToUpper(v.Status))
	if v.SiteTimezone != "" {
		fmt.Fprintf(w, " (site timezone %s; days %s", v.SiteTimezone, strings.Join(v.Days, ", "))
		if v.Baseline {
			fmt.Fprint(w, "; baseline subtracted")
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	for _, msg := range v.Warnings {
		fmt.Fprintf(w, "  WARNING: %s\n", msg)
	}
	if len(v.Rows) > 0 {
		t := newTable(w)
		t.Header([]string{"figure", "day", "expected", "recorded", "ratio", ""})
		for _, row := range tableRows(v.Rows) {
			day, mark := row.Day, ""
			if day == "" {
				day = "total"
			}
			if !row.Matches() {
				mark = "DIFFERS"
			}
			_ = t.Append([]string{row.Figure, day, i64(row.Expected), i64(row.Recorded), RatioText(row.Ratio), mark})
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	if v.SampleChecked > 0 || len(v.SampleMismatches) > 0 {
		fmt.Fprintf(w, "  sampled visits: %d checked, %d recorded otherwise\n", v.SampleChecked, len(v.SampleMismatches))
	}
	for i, m := range v.SampleMismatches {
		if i == maxListedMismatches {
			fmt.Fprintf(w, "    … and %d more (see the JSON report)\n", len(v.SampleMismatches)-i)
			break
		}
		fmt.Fprintf(w, "    visitor %s: %s\n", m.VisitorID, m.Difference)
	}
	return nil
}

// tableRows keeps the totals and the day rows that differ, days after
// totals: a person reads the totals first.
func tableRows(rows []VerifyRow) []VerifyRow {
	var totals, days []VerifyRow
	for _, r := range rows {
		switch {
		case r.Day == "":
			totals = append(totals, r)
		case !r.Matches():
			days = append(days, r)
		}
	}
	sort.SliceStable(days, func(i, j int) bool { return days[i].Day < days[j].Day })
	return append(totals, days...)
}

// RatioText shows a ratio with up to four decimals ("1", "0.98"), or "–"
// when nothing was expected but something recorded.
func RatioText(r *float64) string {
	if r == nil {
		return "–"
	}
	return strconv.FormatFloat(math.Round(*r*1e4)/1e4, 'f', -1, 64)
}
