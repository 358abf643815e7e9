package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/olekukonko/tablewriter"

	"github.com/trafficinator/trafficinator/runner/internal/tables"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// WriteTable renders the report for people: a run summary, then a table of
// every target's outcomes (with the total), one of hits by kind, latency
// and status codes, one of what Matomo recorded in its reports' terms,
// then funnels, backfill days, policies and errors.
func WriteTable(w io.Writer, r *Report) error {
	run := r.Run
	fmt.Fprintf(w, "Scenario %s (%s) — run %s, seed %d, %s mode\n", r.Scenario.Name, r.Scenario.File, run.ID, run.Seed, run.Mode)
	fmt.Fprintf(w, "Outcome: %s (%s) after %.1fs; exit code %d\n", strings.ToUpper(run.Outcome), run.StopReason, run.DurationS, run.ExitCode)
	fmt.Fprintf(w, "Visits: %d planned, %d due (%.2f/s achieved vs %.2f/s planned)\n\n",
		int64(run.PlannedVisits+0.5), r.Total.Counters.Visits+r.Total.Counters.Dropped, run.AchievedRate, run.PlannedRate)
	writeWarnings(w, r.Warnings)

	rows := append(append([]Target{}, r.Targets...), r.Total)
	if err := writeOutcomes(w, rows); err != nil {
		return err
	}
	writeDeliveryWarnings(w, r.Targets)

	fmt.Fprintln(w)
	k := newTable(w)
	header := append([]string{"target"}, kind.HitKindNames()...)
	k.Header(append(header, "p50 ms", "p95 ms", "p99 ms", "max ms", "status codes"))
	for _, x := range rows {
		row := []string{x.Name}
		for _, name := range kind.HitKindNames() {
			row = append(row, i64(x.Counters.HitsByKind[name]))
		}
		row = append(row, ms(x.Latency.P50), ms(x.Latency.P95), ms(x.Latency.P99), ms(x.Latency.Max))
		_ = k.Append(append(row, statusText(x.Counters.Status)))
	}
	if err := k.Render(); err != nil {
		return err
	}
	if err := writeSent(w, rows); err != nil {
		return err
	}
	if err := writeFunnels(w, r.Total.Counters.Funnels); err != nil {
		return err
	}
	if err := writeBackfillDays(w, r.Backfill); err != nil {
		return err
	}
	if c := r.Total.Carried; c != nil {
		fmt.Fprintf(w, "resumed: the figures include %d visits and %d hits of earlier attempts, carried from the journal\n", c.Visits, c.Hits)
	}
	if err := WriteVerification(w, r); err != nil {
		return err
	}
	if err := writePolicies(w, r); err != nil {
		return err
	}
	if errs := r.Total.Counters.Errors; len(errs) > 0 {
		fmt.Fprintln(w)
		e := newTable(w)
		e.Header([]string{"error", "count", "example"})
		for _, name := range slices.Sorted(maps.Keys(errs)) {
			_ = e.Append([]string{name, i64(errs[name].Count), errs[name].Example})
		}
		return e.Render()
	}
	return nil
}

// writeOutcomes is the table of what became of every planned hit: each
// one is in exactly one of ok, rejected, failed, unknown, unsent and
// dropped (docs/delivery.md); "sent" is the first four.
func writeOutcomes(w io.Writer, rows []Target) error {
	t := newTable(w)
	t.Header([]string{"target", "health", "visits", "dropped visits", "sent", "ok", "rejected", "failed", "unknown", "unsent", "dropped", "retries"})
	for _, x := range rows {
		c := x.Counters
		health := x.Health
		if x.Disabled != nil {
			health = fmt.Sprintf("disabled at %.0fs", x.Disabled.ElapsedS)
		}
		_ = t.Append([]string{
			x.Name, health, i64(c.Visits), i64(c.Dropped), i64(c.Hits), i64(c.OK), i64(c.Rejected), i64(c.Failed),
			i64(c.Unknown), i64(c.Unsent), i64(c.DroppedHits), i64(c.Retries),
		})
	}
	return t.Render()
}

// writeDeliveryWarnings says, under the outcomes, which targets retried
// requests that may have reached Matomo, and what that risks.
func writeDeliveryWarnings(w io.Writer, targets []Target) {
	for _, t := range targets {
		if t.Delivery == AtLeastOnce {
			fmt.Fprintf(w, "WARNING: target %s uses delivery at_least_once: requests that may have reached Matomo were sent again, so some hits may be recorded twice and visits split (docs/delivery.md).\n", t.Name)
		}
	}
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

func ms(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// statusText lists status codes with counts, "204×120 400×3"; 0 means no
// HTTP answer.
func statusText(m map[string]int64) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		label := k
		if k == "0" {
			label = "net"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", label, m[k]))
	}
	return strings.Join(parts, " ")
}

// newTable returns a table that prints headers as written (tablewriter
// upper-cases and splits them by default: "p95 ms" would become "P 95 MS").
func newTable(w io.Writer) *tablewriter.Table { return tables.New(w) }

// writePolicies lists every policy firing, or says that none fired.
func writePolicies(w io.Writer, r *Report) error {
	fmt.Fprintln(w)
	if len(r.Policies) == 0 {
		fmt.Fprintln(w, "Policies: none fired.")
		return nil
	}
	p := newTable(w)
	p.Header([]string{"at", "policy", "target", "action", "when", "values", "effect"})
	for _, f := range r.Policies {
		at, target := firingPlace(f)
		_ = p.Append([]string{at, f.Policy, target, f.Action, f.When, valuesText(f.Values), f.Effect})
	}
	return p.Render()
}

func valuesText(v map[string]float64) string {
	parts := make([]string, 0, len(v))
	for _, k := range slices.Sorted(maps.Keys(v)) {
		parts = append(parts, k+"="+strconv.FormatFloat(v[k], 'g', 4, 64))
	}
	return strings.Join(parts, " ")
}

// WritePreflight renders the preflight checks, one row per target.
func WritePreflight(w io.Writer, rows []PreflightRow) error {
	t := newTable(w)
	t.Header([]string{"preflight", "endpoint", "reachable", "token", "status", "latency ms", "message"})
	for _, r := range rows {
		reach := "yes"
		if !r.Reachable {
			reach = "NO"
			if r.Optional {
				reach = "NO (optional: left out)"
			}
		}
		_ = t.Append([]string{r.Target, r.Endpoint, reach, r.Token, strconv.Itoa(r.Status), ms(r.LatencyMs), r.Message})
	}
	return t.Render()
}

// writeBackfillDays lists the day rows of a backfill and what to do next.
func writeBackfillDays(w io.Writer, b *BackfillReport) error {
	if b == nil {
		return nil
	}
	fmt.Fprintf(w, "\nBackfill days (%s):\n", b.Timezone)
	t := newTable(w)
	t.Header([]string{"day", "planned", "delivered", "undelivered", "ok", "rejected", "failed", "unknown", "unsent", "status"})
	for _, d := range b.Days {
		status := "complete"
		switch {
		case d.Resumed:
			status = "complete (earlier run)"
		case !d.Complete:
			status = "INCOMPLETE: resume with --resume"
		case d.RejectedVisits > 0:
			status = "complete, with rejected hits"
		case d.UnknownVisits > 0:
			status = "complete, with unknown hits"
		}
		_ = t.Append([]string{d.Date, i64(d.Planned), i64(d.Delivered), i64(d.Undelivered), i64(d.OK), i64(d.Rejected),
			i64(d.Failed), i64(d.Unknown), i64(d.Unsent), status})
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, v := range b.Verdicts {
		fmt.Fprintf(w, "FAILED %s: %s\n", v.Name, v.Message)
	}
	if a := b.Auto; a != nil {
		fmt.Fprintf(w, "rps auto: settled at %.4g visits/s after %.0fs (%d visits in flight at the end, %d cuts)\n",
			a.SettledRPS, a.ConvergedS, a.Limit, a.Cuts)
	}
	if b.State != "" {
		fmt.Fprintf(w, "journal: %s\n", b.State)
	}
	for _, inv := range b.Invalidated {
		state := "failed"
		if inv.OK {
			state = "ok"
		}
		fmt.Fprintf(w, "archive invalidation on %s: %s (%s)\n", inv.Target, state, inv.Detail)
	}
	fmt.Fprintf(w, "Next: %s\n", b.NextSteps)
	return nil
}

// writeFunnels lists each funnel's visits: started, completed, and how
// many reached each step (the conversions by step).
func writeFunnels(w io.Writer, fs map[string]metrics.FunnelCounts) error {
	if len(fs) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	t := newTable(w)
	t.Header([]string{"funnel", "started", "completed", "conversion", "visits reaching each step"})
	for _, name := range slices.Sorted(maps.Keys(fs)) {
		f := fs[name]
		conv := "—"
		if f.Started > 0 {
			conv = strconv.FormatFloat(100*float64(f.Completed)/float64(f.Started), 'f', 1, 64) + "%"
		}
		steps := make([]string, len(f.Steps))
		for i, n := range f.Steps {
			steps[i] = fmt.Sprintf("%d:%d", i+1, n)
		}
		_ = t.Append([]string{name, i64(f.Started), i64(f.Completed), conv, strings.Join(steps, " ")})
	}
	return t.Render()
}

// firingPlace names when a policy fired ("12s" into the run, or "end")
// and for which target ("(run)" for the whole run), for the table and the
// markdown summary alike.
func firingPlace(f gates.Firing) (at, target string) {
	at = fmt.Sprintf("%.0fs", f.ElapsedS)
	if f.Phase == "end" {
		at = "end"
	}
	target = f.Target
	if target == "" {
		target = "(run)"
	}
	return at, target
}
