package report

import (
	"fmt"
	"math"
	"strconv"
)

// Thresholds are the regressions report diff checks; a nil field is not
// checked.
type Thresholds struct {
	// MaxP95IncreasePct fails the diff when a p95 grows by more than this
	// percentage of the baseline's.
	MaxP95IncreasePct *float64 `json:"max_p95_increase_pct,omitempty"`
	// MaxP95IncreaseMs fails it when a p95 grows by more than this many ms.
	MaxP95IncreaseMs *float64 `json:"max_p95_increase_ms,omitempty"`
	// MaxErrorRateIncrease fails it when an error rate (a fraction) grows
	// by more than this, e.g. 0.01 for one percentage point.
	MaxErrorRateIncrease *float64 `json:"max_error_rate_increase,omitempty"`
}

// Diff compares a current report with a baseline, per target (matched by
// name) and in total.
type Diff struct {
	Baseline    DiffSide     `json:"baseline"`
	Current     DiffSide     `json:"current"`
	Thresholds  Thresholds   `json:"thresholds"`
	Rows        []DiffRow    `json:"rows"`
	Regressions []Regression `json:"regressions"`
}

// DiffSide says which run one side of a diff is.
type DiffSide struct {
	Source   string `json:"source"`
	Scenario string `json:"scenario"`
	Digest   string `json:"digest"`
	RunID    string `json:"run_id"`
	Outcome  string `json:"outcome"`
}

// DiffRow is the comparison of one target, or of the total (last row).
// Presence is "both", or "baseline" / "current" for a target found on one
// side only (its changes are then empty and nothing is checked).
type DiffRow struct {
	Target       string  `json:"target"`
	Presence     string  `json:"presence"`
	P50Ms        *Change `json:"p50_ms,omitempty"`
	P95Ms        *Change `json:"p95_ms,omitempty"`
	P99Ms        *Change `json:"p99_ms,omitempty"`
	ErrorRate    *Change `json:"error_rate,omitempty"`
	AchievedRate *Change `json:"achieved_rate,omitempty"`
	// What Matomo should show (counters.sent), side by side; shown, never
	// checked: a run that sent fewer visits is not a regression by itself.
	RecordedVisits  *Change `json:"recorded_visits,omitempty"`
	RecordedOrders  *Change `json:"recorded_orders,omitempty"`
	RecordedRevenue *Change `json:"recorded_revenue,omitempty"` // in the currency, not cents
}

// Change is a figure on both sides. Delta is current minus baseline;
// DeltaPct is Delta in percent of the baseline, nil when the baseline is 0.
// HasData is false when either side has no sample of the figure (no
// answered request): such a change is shown but never checked.
type Change struct {
	Baseline float64  `json:"baseline"`
	Current  float64  `json:"current"`
	Delta    float64  `json:"delta"`
	DeltaPct *float64 `json:"delta_pct"`
	HasData  bool     `json:"has_data"`
}

// Regression is one threshold that a change exceeds.
type Regression struct {
	Target    string  `json:"target"`
	Metric    string  `json:"metric"`    // p95_ms | error_rate
	Threshold string  `json:"threshold"` // the flag, e.g. --max-p95-increase 20%
	Baseline  float64 `json:"baseline"`
	Current   float64 `json:"current"`
	Message   string  `json:"message"`
}

// Compare diffs current against baseline and checks the thresholds given.
func Compare(baseline, current Input, th Thresholds) *Diff {
	d := &Diff{
		Baseline: sideOf(baseline), Current: sideOf(current), Thresholds: th,
		Rows: []DiffRow{}, Regressions: []Regression{},
	}
	cur := map[string]Target{}
	for _, t := range current.Report.Targets {
		cur[t.Name] = t
	}
	base := map[string]bool{}
	for _, b := range baseline.Report.Targets {
		base[b.Name] = true
		if c, ok := cur[b.Name]; ok {
			d.add(b, c, th)
		} else {
			d.Rows = append(d.Rows, DiffRow{Target: b.Name, Presence: "baseline"})
		}
	}
	for _, c := range current.Report.Targets {
		if !base[c.Name] {
			d.Rows = append(d.Rows, DiffRow{Target: c.Name, Presence: "current"})
		}
	}
	d.add(baseline.Report.Total, current.Report.Total, th)
	return d
}

// ExitCode is 1 when a threshold is exceeded, else 0.
func (d *Diff) ExitCode() int {
	if len(d.Regressions) > 0 {
		return 1
	}
	return 0
}

func sideOf(in Input) DiffSide {
	r := in.Report
	return DiffSide{Source: in.Source, Scenario: r.Scenario.Name, Digest: r.Scenario.Digest, RunID: r.Run.ID, Outcome: r.Run.Outcome}
}

func (d *Diff) add(b, c Target, th Thresholds) {
	latency := answered(b) && answered(c)
	row := DiffRow{
		Target: c.Name, Presence: "both",
		P50Ms:        change(b.Latency.P50, c.Latency.P50, latency),
		P95Ms:        change(b.Latency.P95, c.Latency.P95, latency),
		P99Ms:        change(b.Latency.P99, c.Latency.P99, latency),
		ErrorRate:    change(b.Counters.ErrorRate(), c.Counters.ErrorRate(), latency),
		AchievedRate: change(b.Planned.Rate.Achieved, c.Planned.Rate.Achieved, true),

		RecordedVisits:  change(float64(b.Counters.Sent.Visits), float64(c.Counters.Sent.Visits), true),
		RecordedOrders:  change(float64(b.Counters.Sent.Orders), float64(c.Counters.Sent.Orders), true),
		RecordedRevenue: change(float64(b.Counters.Sent.RevenueCents)/100, float64(c.Counters.Sent.RevenueCents)/100, true),
	}
	d.Rows = append(d.Rows, row)
	p95 := row.P95Ms
	if p95.HasData && th.MaxP95IncreasePct != nil && p95.DeltaPct != nil && exceeds(*p95.DeltaPct, *th.MaxP95IncreasePct) {
		d.regress(c.Name, "p95_ms", "--max-p95-increase "+num(*th.MaxP95IncreasePct)+"%", p95,
			fmt.Sprintf("p95 %s → %s ms (%s%%) exceeds --max-p95-increase %s%%",
				num(p95.Baseline), num(p95.Current), signed(*p95.DeltaPct, 1), num(*th.MaxP95IncreasePct)))
	}
	if p95.HasData && th.MaxP95IncreaseMs != nil && exceeds(p95.Delta, *th.MaxP95IncreaseMs) {
		d.regress(c.Name, "p95_ms", "--max-p95-increase "+num(*th.MaxP95IncreaseMs)+"ms", p95,
			fmt.Sprintf("p95 %s → %s ms (%s ms) exceeds --max-p95-increase %sms",
				num(p95.Baseline), num(p95.Current), signed(p95.Delta, 3), num(*th.MaxP95IncreaseMs)))
	}
	er := row.ErrorRate
	if er.HasData && th.MaxErrorRateIncrease != nil && exceeds(er.Delta, *th.MaxErrorRateIncrease) {
		d.regress(c.Name, "error_rate", "--max-error-rate-increase "+num(*th.MaxErrorRateIncrease), er,
			fmt.Sprintf("error rate %s → %s (%s points) exceeds --max-error-rate-increase %s",
				percent(er.Baseline), percent(er.Current), signed(er.Delta*100, 2), num(*th.MaxErrorRateIncrease)))
	}
}

func (d *Diff) regress(target, metric, threshold string, c *Change, msg string) {
	d.Regressions = append(d.Regressions, Regression{
		Target: target, Metric: metric, Threshold: threshold,
		Baseline: c.Baseline, Current: c.Current, Message: target + ": " + msg,
	})
}

// exceeds compares a change with its limit, ignoring the rounding of
// float subtraction: 0.02 - 0.01 is not more than 0.01.
func exceeds(v, limit float64) bool {
	return v > limit+1e-9*max(1, math.Abs(limit))
}

// answered reports whether a target has latency and error-rate samples.
func answered(t Target) bool {
	c := t.Counters
	return c.OK+c.Rejected+c.Failed+c.Unknown > 0
}

func change(b, c float64, hasData bool) *Change {
	ch := &Change{Baseline: b, Current: c, Delta: c - b, HasData: hasData}
	if b != 0 {
		pct := (c - b) / b * 100
		ch.DeltaPct = &pct
	}
	return ch
}

// num prints a threshold or rate as short as it reads: 20, 0.01, 2.5.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// percent prints a fraction as a percentage: 0.0123 → 1.23%.
func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 2, 64) + "%" }

// signed prints a change with its sign and the given decimals.
func signed(v float64, decimals int) string {
	if v >= 0 && !math.Signbit(v) {
		return "+" + strconv.FormatFloat(v, 'f', decimals, 64)
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
