package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown renders the report as a GitHub-flavoured markdown summary,
// the size of a CI job's summary page ($GITHUB_STEP_SUMMARY, a merge
// request note): the outcome, one table row per target and the total,
// the policies that fired and the verification when the run was verified.
// Latency histograms, series and funnels stay in the table and JSON forms:
// a summary is read at a glance.
func WriteMarkdown(w io.Writer, r *Report) error {
	run := r.Run
	fmt.Fprintf(w, "### Trafficinator: %s %s\n\n", mdText(r.Scenario.Name), strings.ToUpper(run.Outcome))
	fmt.Fprintf(w, "**Outcome: %s** (%s) after %.1fs, exit code %d.  \n", strings.ToUpper(run.Outcome), mdText(run.StopReason), run.DurationS, run.ExitCode)
	fmt.Fprintf(w, "Scenario `%s`, run `%s`, seed %d, %s mode.  \n", mdCode(r.Scenario.File), mdCode(run.ID), run.Seed, mdText(run.Mode))
	fmt.Fprintf(w, "Visits: %d planned, %d due (%.2f/s achieved vs %.2f/s planned).\n",
		int64(run.PlannedVisits+0.5), r.Total.Counters.Visits+r.Total.Counters.Dropped, run.AchievedRate, run.PlannedRate)
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w)
		for _, msg := range r.Warnings {
			fmt.Fprintf(w, "- **Warning:** %s\n", mdText(msg))
		}
	}
	if b := r.Backfill; b != nil && len(b.Verdicts) > 0 {
		fmt.Fprintln(w)
		for _, v := range b.Verdicts {
			fmt.Fprintf(w, "- **Failed %s:** %s\n", mdText(v.Name), mdText(v.Message))
		}
	}

	fmt.Fprint(w, "\n| target | health | visits | sent | ok | rejected | failed | unknown | unsent | dropped hits | error rate | p95 ms |\n")
	fmt.Fprint(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	rows := append(append([]Target{}, r.Targets...), r.Total)
	for i, x := range rows {
		c := x.Counters
		name, health := mdText(x.Name), mdText(x.Health)
		if x.Disabled != nil {
			health = fmt.Sprintf("disabled at %.0fs", x.Disabled.ElapsedS)
		}
		if i == len(rows)-1 {
			name = "**" + name + "**"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s |\n",
			name, health, c.Visits, c.Hits, c.OK, c.Rejected, c.Failed, c.Unknown, c.Unsent, c.DroppedHits,
			percent(c.ErrorRate()), ms(x.Latency.P95))
	}

	writeMarkdownPolicies(w, r)
	writeMarkdownVerification(w, r)
	return nil
}

// writeMarkdownPolicies lists every policy firing, or says none fired.
func writeMarkdownPolicies(w io.Writer, r *Report) {
	if len(r.Policies) == 0 {
		fmt.Fprint(w, "\nPolicies: none fired.\n")
		return
	}
	fmt.Fprint(w, "\n#### Policies fired\n\n| at | policy | target | action | when | values | effect |\n|---|---|---|---|---|---|---|\n")
	for _, f := range r.Policies {
		at, target := firingPlace(f)
		fmt.Fprintf(w, "| %s | %s | %s | %s | `%s` | %s | %s |\n", at, mdText(f.Policy), mdText(target), mdText(f.Action),
			mdCode(f.When), mdText(valuesText(f.Values)), mdText(f.Effect))
	}
}

// writeMarkdownVerification is the verification's overview: one row per
// target verified; the figures by day are in the table form.
func writeMarkdownVerification(w io.Writer, r *Report) {
	s := r.Verification
	if s == nil {
		return
	}
	fmt.Fprintf(w, "\n#### Verification: %s\n\n%s; %d sampled visits checked, %d recorded otherwise.\n\n",
		strings.ToUpper(s.Status), statusCounts(s.Targets), s.SampleChecked, s.SampleMismatches)
	fmt.Fprint(w, "| target | status | visits expected | visits recorded | ratio | mismatches | reason |\n|---|---|--:|--:|--:|--:|---|\n")
	for _, t := range r.Targets {
		v := t.Verification
		if v == nil {
			continue
		}
		expected, recorded, ratio := "", "", ""
		for _, x := range v.Rows {
			if x.Day == "" && x.Figure == "visits" {
				expected, recorded, ratio = i64(x.Expected), i64(x.Recorded), RatioText(x.Ratio)
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %d | %s |\n", mdText(t.Name), mdText(v.Status), expected, recorded, ratio,
			len(v.SampleMismatches), mdText(v.Reason))
	}
}

// mdText makes s safe inside a table cell or a line of markdown: a pipe
// would end the cell, a newline the row, and markup characters would be
// read as emphasis, links or HTML. Underscores stay: GitHub reads none
// inside a word ("not_archived"), and names rarely start with one.
func mdText(s string) string {
	return strings.NewReplacer("\\", "\\\\", "|", "\\|", "\r", " ", "\n", " ", "*", "\\*",
		"`", "\\`", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]").Replace(s)
}

// mdCode makes s safe inside a code span in a table cell: a backtick
// would end the span, and GitHub splits cells on pipes even within spans
// unless they are escaped. A backslash is doubled, or "\\|" would leave
// the pipe unescaped; within a code span it then shows doubled, a rare
// cost (expressions seldom hold one) for a table that never breaks.
func mdCode(s string) string {
	return strings.NewReplacer("\\", "\\\\", "`", "'", "|", "\\|", "\r", " ", "\n", " ").Replace(s)
}
