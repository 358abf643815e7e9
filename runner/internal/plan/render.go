package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/targets/kind"

	"github.com/olekukonko/tablewriter"

	"github.com/trafficinator/trafficinator/runner/internal/tables"

	"github.com/trafficinator/trafficinator/targets"
)

// WriteJSON renders the plan's document (Document) as stable JSON: keys
// sorted, no timestamps, figures rounded, secrets shown as [redacted], so
// a repository can keep it, review a scenario change as a diff of its
// plan, and run the reviewed plan with apply --plan.
func WriteJSON(w io.Writer, p *Plan) error {
	generic, err := Document(p)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w) // maps marshal with sorted keys
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "a > b" stays readable in expressions
	return enc.Encode(generic)
}

// WriteTable renders the plan for people.
func WriteTable(w io.Writer, p *Plan) error {
	seed := strconv.FormatUint(p.Seed, 10)
	if !p.SeedSet {
		seed = "random (set run.seed or --seed to replay a run)"
	}
	fmt.Fprintf(w, "Plan for %s (%s, %s)\n", p.Name, p.File, p.Digest)
	fmt.Fprintf(w, "Mode %s · timezone %s · concurrency %d · routing %s · seed %s\n", p.Mode, p.Timezone, p.Concurrency, p.Routing, seed)
	fmt.Fprintf(w, "Stop: %s\n", p.stopText())
	if p.Unbounded {
		fmt.Fprintf(w, "Expected: open-ended (no duration, no max_visits): %.3g visits/s until interrupted\n\n", p.pacer.RateAt(0))
	} else {
		fmt.Fprintf(w, "Expected: %s visits from %s unique visitors, %s hits (%.2f per visit), %s requests\n",
			num(p.Expected.Visits), num(p.Expected.UniqueVisitors), num(p.Expected.Hits), p.Expected.HitsPerVisit, num(p.Expected.Requests))
		if p.Traffic.Returning > 0 {
			fmt.Fprintf(w, "Returning visitors: %.1f%% of visits (traffic.returning %.1f%%; a visitor returns at least 30 minutes after its last hit)\n",
				100*p.Expected.ReturningShare, 100*p.Traffic.Returning)
		}
		fmt.Fprintln(w)
	}

	if p.Backfill != nil {
		if err := writeBackfill(w, p.Backfill); err != nil {
			return err
		}
	} else if err := writeStages(w, p); err != nil {
		return err
	}
	fmt.Fprintln(w)

	tt := newTable(w)
	head := []string{"target", "kind", "endpoint", "site", "share", "bulk", "delivery", "token", "visits", "hits", "requests"}
	tt.Header(head)
	for _, t := range p.Targets {
		endpoint := t.URL.String()
		if k, ok := targets.Lookup(t.Kind); ok {
			endpoint = k.Endpoint(&t.Settings)
		}
		share := pct(t.Share)
		if !t.Enabled {
			share = "disabled"
		} else if t.Optional {
			share += " optional"
		}
		_ = tt.Append([]string{t.Name, t.Kind, endpoint, strconv.Itoa(t.SiteID), share, strconv.Itoa(t.Bulk), t.Delivery,
			orDash(t.Token.String()), num(t.Expected.Visits), num(t.Expected.Hits), num(t.Expected.Requests)})
	}
	if err := tt.Render(); err != nil {
		return err
	}
	fmt.Fprintln(w)

	ft := newTable(w)
	ft.Header(append([]string{"target", "search", "outlinks", "downloads", "clicks", "events", "ecommerce", "geo"}, kind.HitKindNames()...))
	for _, t := range p.Targets {
		f := t.Features
		ecom := "off"
		if f.Ecommerce != nil {
			ecom = fmt.Sprintf("%s %s %.2f–%.2f", pct(f.Ecommerce.Probability), f.Ecommerce.Currency, f.Ecommerce.OrderMin, f.Ecommerce.OrderMax)
		}
		geo := "off"
		if f.Geo {
			geo = "on"
		}
		row := []string{t.Name, pct(f.SiteSearch), pct(f.Outlinks), pct(f.Downloads), pct(f.ClickEvents), pct(f.RandomEvents), ecom, geo}
		for _, k := range kind.HitKindNames() {
			row = append(row, num(t.Expected.HitsByKind[k]))
		}
		_ = ft.Append(row)
	}
	if err := ft.Render(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nTraffic: %d–%d pageviews, pause %s–%s, visit duration %s–%s, sources direct %s search %s social %s referral %s campaign %s\n",
		p.Traffic.PageviewsMin, p.Traffic.PageviewsMax, p.Traffic.PauseMin.D(), p.Traffic.PauseMax.D(),
		p.Traffic.DurationMin.D(), p.Traffic.DurationMax.D(),
		pct(p.Traffic.Sources.Direct), pct(p.Traffic.Sources.Search), pct(p.Traffic.Sources.Social), pct(p.Traffic.Sources.Referral), pct(p.Traffic.Sources.Campaign))

	if len(p.Traffic.Funnels) > 0 {
		fmt.Fprintln(w)
		fu := newTable(w)
		fu.Header([]string{"funnel", "priority", "probability", "effective share", "steps", "after completion"})
		for _, f := range p.Traffic.Funnels {
			after := "visit ends"
			if !f.ExitAfterCompletion {
				after = "browses on (same visit)"
			}
			_ = fu.Append([]string{f.Name, strconv.Itoa(f.Priority), pct(f.Probability), pct(f.Share), strconv.Itoa(f.Steps), after})
		}
		_ = fu.Append([]string{"(random visits)", "", "", pct(p.Traffic.RandomShare), "", ""})
		if err := fu.Render(); err != nil {
			return err
		}
	}
	if len(p.Policies) > 0 {
		fmt.Fprintln(w)
		pt := newTable(w)
		pt.Header([]string{"policy", "line", "scope", "targets", "when", "for", "action"})
		for _, pol := range p.Policies {
			_ = pt.Append([]string{pol.Name, strconv.Itoa(pol.Line), pol.Scope, orDash(strings.Join(pol.Targets, ", ")), pol.When, pol.For.D().String(), pol.Action})
		}
		if err := pt.Render(); err != nil {
			return err
		}
	}
	for _, d := range p.Warnings {
		fmt.Fprintf(w, "\nwarning: %s", d.Message)
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(w)
	}
	return nil
}

func (p *Plan) stopText() string {
	if p.Backfill != nil {
		return "when every day of the window has been replayed"
	}
	var parts []string
	if p.Stop.Duration > 0 {
		parts = append(parts, "after "+p.Stop.Duration.D().String())
	} else if end := p.pacer.End(); end > 0 {
		parts = append(parts, "at the end of the stages ("+end.String()+")")
	}
	if p.Stop.MaxVisits > 0 {
		parts = append(parts, fmt.Sprintf("after %d visits", p.Stop.MaxVisits))
	}
	if p.Stop.DailyCap > 0 {
		parts = append(parts, fmt.Sprintf("pausing at %d visits in any 24 h", p.Stop.DailyCap))
	}
	if len(parts) == 0 {
		return "only when interrupted"
	}
	return strings.Join(parts, ", ")
}

func newTable(w io.Writer) *tablewriter.Table { return tables.New(w) }

func num(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }

func rate(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func writeStages(w io.Writer, p *Plan) error {
	st := newTable(w)
	st.Header([]string{"stage", "start", "end", "from visits/s", "to visits/s"})
	for i, s := range p.Stages {
		end := s.End.D().String()
		if s.End == 0 {
			end = "open"
		}
		_ = st.Append([]string{strconv.Itoa(i + 1), s.Start.D().String(), end, rate(s.FromRate), rate(s.ToRate)})
	}
	return st.Render()
}

// writeBackfill lists the days of a backfill with their length (23 or 25
// hours on the days clocks change) and planned visits.
func writeBackfill(w io.Writer, b *Backfill) error {
	limit := "no rps limit (as fast as concurrency allows)"
	if b.RPS > 0 {
		limit = fmt.Sprintf("at most %.4g visits/s (about %.4g requests/s)", b.RPS, b.RequestsPerS)
	}
	if b.AutoRPS {
		limit = "rps auto (the fastest rate the target sustains)"
	}
	fmt.Fprintf(w, "Backfill: %d days, %d visits, %s\n", len(b.Days), b.Visits, limit)
	t := newTable(w)
	t.Header([]string{"day", "hours", "visits", "first visit"})
	for _, d := range b.Days {
		_ = t.Append([]string{d.Date, strconv.FormatFloat(d.Hours, 'f', 0, 64), strconv.FormatInt(d.Visits, 10), strconv.FormatUint(d.First, 10)})
	}
	return t.Render()
}

// WriteHTML renders the plan as WriteTable does, as an HTML fragment: its
// lines in escaped text blocks, its tables as HTML tables (the control
// page of trafficinator ui).
func WriteHTML(w io.Writer, p *Plan) error {
	h := tables.NewHTML(w)
	if err := WriteTable(h, p); err != nil {
		return err
	}
	return h.Close()
}
