package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteDiffTable renders a diff for people: which runs, which thresholds,
// one row per target and the total, then the regressions.
func WriteDiffTable(w io.Writer, d *Diff) error {
	side := func(label string, s DiffSide) {
		fmt.Fprintf(w, "%s %s: scenario %s, run %s, %s\n", label, s.Source, s.Scenario, s.RunID, s.Outcome)
	}
	side("Baseline", d.Baseline)
	side("Current ", d.Current)
	fmt.Fprintf(w, "Thresholds: %s\n\n", thresholdsText(d.Thresholds))

	t := newTable(w)
	t.Header([]string{"target", "p50 ms", "p95 ms", "p99 ms", "error rate", "rate /s", "verdict"})
	for _, r := range d.Rows {
		if r.Presence != "both" {
			_ = t.Append([]string{r.Target, "", "", "", "", "", "only in " + r.Presence})
			continue
		}
		_ = t.Append([]string{
			r.Target, latencyCell(r.P50Ms), latencyCell(r.P95Ms), latencyCell(r.P99Ms),
			errorRateCell(r.ErrorRate), rateCell(r.AchievedRate), d.verdict(r.Target),
		})
	}
	if err := t.Render(); err != nil {
		return err
	}
	if err := writeRecordedDiff(w, d); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if len(d.Regressions) == 0 {
		fmt.Fprintln(w, "No regression.")
		return nil
	}
	for _, r := range d.Regressions {
		fmt.Fprintf(w, "REGRESSION %s\n", r.Message)
	}
	return nil
}

// writeRecordedDiff sets what Matomo should show of each run side by side
// (counters.sent): shown to explain a change, never checked.
func writeRecordedDiff(w io.Writer, d *Diff) error {
	t := newTable(w)
	t.Header([]string{"recorded", "visits", "orders", "revenue"})
	rows := 0
	for _, r := range d.Rows {
		if r.Presence != "both" || r.RecordedVisits == nil {
			continue
		}
		if r.RecordedVisits.Baseline == 0 && r.RecordedVisits.Current == 0 {
			continue
		}
		rows++
		_ = t.Append([]string{r.Target, countCell(r.RecordedVisits), countCell(r.RecordedOrders), moneyCell(r.RecordedRevenue)})
	}
	if rows == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return t.Render()
}

// countCell reads "1200 → 1180 (-1.7%)".
func countCell(c *Change) string {
	s := num(c.Baseline) + " → " + num(c.Current)
	if c.DeltaPct != nil {
		s += " (" + signed(*c.DeltaPct, 1) + "%)"
	}
	return s
}

// moneyCell reads "1234.50 → 1300.00 (+5.3%)".
func moneyCell(c *Change) string {
	s := strconv.FormatFloat(c.Baseline, 'f', 2, 64) + " → " + strconv.FormatFloat(c.Current, 'f', 2, 64)
	if c.DeltaPct != nil {
		s += " (" + signed(*c.DeltaPct, 1) + "%)"
	}
	return s
}

func thresholdsText(th Thresholds) string {
	var parts []string
	if th.MaxP95IncreasePct != nil {
		parts = append(parts, "p95 +"+num(*th.MaxP95IncreasePct)+"%")
	}
	if th.MaxP95IncreaseMs != nil {
		parts = append(parts, "p95 +"+num(*th.MaxP95IncreaseMs)+" ms")
	}
	if th.MaxErrorRateIncrease != nil {
		parts = append(parts, "error rate +"+num(*th.MaxErrorRateIncrease))
	}
	if len(parts) == 0 {
		return "none given, nothing is checked"
	}
	return "at most " + strings.Join(parts, ", ")
}

func (d *Diff) verdict(target string) string {
	var metrics []string
	for _, r := range d.Regressions {
		if r.Target == target {
			metrics = append(metrics, r.Metric)
		}
	}
	if len(metrics) == 0 {
		return "ok"
	}
	return "REGRESSION (" + strings.Join(metrics, ", ") + ")"
}

// latencyCell reads "12.5 → 15.0 (+20.0%)".
func latencyCell(c *Change) string {
	if !c.HasData {
		return "no data"
	}
	s := num(c.Baseline) + " → " + num(c.Current)
	if c.DeltaPct != nil {
		s += " (" + signed(*c.DeltaPct, 1) + "%)"
	}
	return s
}

// errorRateCell reads "0.50% → 2.10% (+1.60 pt)".
func errorRateCell(c *Change) string {
	if !c.HasData {
		return "no data"
	}
	return percent(c.Baseline) + " → " + percent(c.Current) + " (" + signed(c.Delta*100, 2) + " pt)"
}

func rateCell(c *Change) string {
	s := strconv.FormatFloat(c.Baseline, 'f', 2, 64) + " → " + strconv.FormatFloat(c.Current, 'f', 2, 64)
	if c.DeltaPct != nil {
		s += " (" + signed(*c.DeltaPct, 1) + "%)"
	}
	return s
}

// WriteDiffJSON writes a diff as indented JSON, encoded as reports are.
func WriteDiffJSON(w io.Writer, d *Diff) error { return encodeJSON(w, d) }
