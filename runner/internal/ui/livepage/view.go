package livepage

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/report"
)

// View is what the page's script receives in each "state" event: the
// whole state, so that a reload or a reconnection needs nothing else.
type View struct {
	Scenario string        `json:"scenario"`
	RunID    string        `json:"run_id"`
	Phase    string        `json:"phase"`
	Progress ProgressView  `json:"progress"`
	Targets  []TargetView  `json:"targets"`
	Policies []PolicyView  `json:"policies"`
	Series   []Point       `json:"series"`
	Logs     []string      `json:"logs"`
	Backfill *BackfillView `json:"backfill,omitempty"`
	Report   *ReportView   `json:"report,omitempty"` // once the run is over
	Stopping bool          `json:"stopping"`         // a stop was asked for
}

// ProgressView is the run against its plan.
type ProgressView struct {
	ElapsedS  float64 `json:"elapsed_s"`
	PlannedS  float64 `json:"planned_s"`  // 0: open-ended
	MaxVisits int64   `json:"max_visits"` // 0: none
	Fraction  float64 `json:"fraction"`   // 0..1 of the plan; -1 when open-ended
	Visits    int64   `json:"visits"`
	Dropped   int64   `json:"dropped"`
	Hits      int64   `json:"hits"`
	Errors    int64   `json:"errors"`
	Rate      float64 `json:"rate"`
	P95Ms     float64 `json:"p95_ms"`
	InFlight  int64   `json:"in_flight"`
}

// TargetView is one target's row.
type TargetView struct {
	Name     string           `json:"name"`
	Enabled  bool             `json:"enabled"`
	Disabled string           `json:"disabled,omitempty"`
	Health   string           `json:"health"`
	Rate     float64          `json:"rate"` // visits per second over the last few seconds
	Visits   int64            `json:"visits"`
	Hits     int64            `json:"hits"`
	Outcomes map[string]int64 `json:"outcomes"` // ok, rejected, failed, unknown, unsent, dropped
	P50Ms    float64          `json:"p50_ms"`
	P95Ms    float64          `json:"p95_ms"`
}

// PolicyView is one policy on one scope.
type PolicyView struct {
	Policy string             `json:"policy"`
	Target string             `json:"target,omitempty"`
	Action string             `json:"action"`
	When   string             `json:"when"`
	State  string             `json:"state"` // ok, pending, firing, fired
	Fired  int                `json:"fired"`
	Values map[string]float64 `json:"values,omitempty"`
}

// Point is one second (or more, once the series is long) of the chart.
type Point struct {
	T      float64 `json:"t"`      // seconds since the start
	Rate   float64 `json:"rate"`   // visits per second
	Errors float64 `json:"errors"` // error hits per second
	P95Ms  float64 `json:"p95_ms"`
}

// BackfillView is how far a backfill is.
type BackfillView struct {
	Days       int     `json:"days"`
	DaysDone   int     `json:"days_done"`
	DaysLeft   int     `json:"days_left"`
	AutoLimit  int     `json:"auto_limit,omitempty"`
	SettledRPS float64 `json:"settled_rps,omitempty"`
}

// ReportView sums up the final report; the report link has all of it.
type ReportView struct {
	Outcome    string   `json:"outcome"`
	ExitCode   int      `json:"exit_code"`
	StopReason string   `json:"stop_reason"`
	DurationS  float64  `json:"duration_s"`
	Fired      []string `json:"fired"` // "policy (target): effect"
	Error      string   `json:"error,omitempty"`
}

// maxPoints bounds the chart's series: past it, neighbours merge and the
// step doubles, so a run of days costs as much as one of minutes.
const maxPoints = 240

// rateSpan is how far back a target's rate looks.
const rateSpan = 5 * time.Second

// builder turns a source's readings into views, keeping what a view needs
// from the past: the chart and recent visit counts.
type builder struct {
	scenario string
	series   []Point
	step     float64 // seconds a point covers
	lastT    float64
	lastErrs int64
	recent   map[string][]sample // per target, oldest first, at most rateSpan old
}

type sample struct {
	at     time.Time
	visits int64
}

func newBuilder(scenario string) *builder {
	return &builder{scenario: scenario, step: 1, recent: map[string][]sample{}}
}

// preflight is the view before the run hands its source over.
func (b *builder) preflight() View {
	return View{Scenario: b.scenario, Phase: live.PhasePreflight, Targets: []TargetView{}, Policies: []PolicyView{}, Series: []Point{}, Logs: []string{}}
}

func (b *builder) view(src live.PageSource, now time.Time) View {
	run := src.Run()
	page := src.Page()
	v := View{Scenario: run.Scenario, RunID: run.RunID, Phase: page.Phase, Logs: page.Logs}
	if v.Logs == nil {
		v.Logs = []string{}
	}
	v.Progress = progressView(page.Progress)
	for _, t := range src.Targets() {
		v.Targets = append(v.Targets, b.targetView(t, now))
	}
	for _, p := range src.Policies() {
		v.Policies = append(v.Policies, policyView(p))
	}
	if v.Targets == nil {
		v.Targets = []TargetView{}
	}
	if v.Policies == nil {
		v.Policies = []PolicyView{}
	}
	b.sample(page.Progress)
	v.Series = append([]Point(nil), b.series...)
	if bf := page.Backfill; bf != nil {
		v.Backfill = &BackfillView{Days: bf.Days, DaysDone: bf.DaysDone, DaysLeft: bf.Days - bf.DaysDone, AutoLimit: bf.AutoLimit, SettledRPS: bf.SettledRPS}
	}
	return v
}

func progressView(p live.Progress) ProgressView {
	v := ProgressView{
		ElapsedS: p.Elapsed.Seconds(), PlannedS: p.Planned.Seconds(), MaxVisits: p.MaxVisits,
		Visits: p.Visits, Dropped: p.Dropped, Hits: p.Hits, Errors: p.Errors, Rate: p.Rate, P95Ms: p.P95Ms, InFlight: p.InFlight,
		Fraction: -1,
	}
	// The plan ends at whichever comes first: its duration or its visits.
	if p.Planned > 0 {
		v.Fraction = p.Elapsed.Seconds() / p.Planned.Seconds()
	}
	if p.MaxVisits > 0 {
		v.Fraction = max(v.Fraction, float64(p.Visits+p.Dropped)/float64(p.MaxVisits))
	}
	if v.Fraction > 1 {
		v.Fraction = 1
	}
	return v
}

func (b *builder) targetView(t live.TargetState, now time.Time) TargetView {
	c := t.Snapshot.Counters
	v := TargetView{
		Name: t.Name, Enabled: t.Enabled, Disabled: t.Disabled, Health: t.Health,
		Visits: c.Visits, Hits: c.Hits,
		Outcomes: map[string]int64{"ok": c.OK, "rejected": c.Rejected, "failed": c.Failed, "unknown": c.Unknown, "unsent": c.Unsent, "dropped": c.DroppedHits},
		P50Ms:    t.Snapshot.Percentile(50), P95Ms: t.Snapshot.Percentile(95),
	}
	r := append(b.recent[t.Name], sample{now, c.Visits})
	for len(r) > 1 && now.Sub(r[0].at) > rateSpan {
		r = r[1:]
	}
	b.recent[t.Name] = r
	if d := now.Sub(r[0].at).Seconds(); d > 0 {
		v.Rate = float64(c.Visits-r[0].visits) / d
	}
	return v
}

func policyView(p live.PolicyState) PolicyView {
	state := "ok"
	switch {
	case p.Firing:
		state = "firing"
	case p.Holding:
		state = "pending"
	case p.Fired > 0:
		state = "fired"
	}
	return PolicyView{Policy: p.Policy, Target: p.Target, Action: p.Action, When: p.When, State: state, Fired: p.Fired, Values: p.Values}
}

// sample adds a point to the chart once its step has passed.
func (b *builder) sample(p live.Progress) {
	t := p.Elapsed.Seconds()
	if len(b.series) > 0 && t-b.lastT < b.step {
		return
	}
	errs := 0.0
	if dt := t - b.lastT; dt > 0 {
		errs = float64(p.Errors-b.lastErrs) / dt
	}
	b.lastT, b.lastErrs = t, p.Errors
	b.series = append(b.series, Point{T: t, Rate: p.Rate, Errors: errs, P95Ms: p.P95Ms})
	if len(b.series) > maxPoints {
		b.series = halve(b.series)
		b.step *= 2
	}
}

// halve merges neighbouring points: the later time, the mean figures.
func halve(s []Point) []Point {
	out := s[:0]
	for i := 0; i+1 < len(s); i += 2 {
		a, c := s[i], s[i+1]
		out = append(out, Point{T: c.T, Rate: (a.Rate + c.Rate) / 2, Errors: (a.Errors + c.Errors) / 2, P95Ms: max(a.P95Ms, c.P95Ms)})
	}
	if len(s)%2 == 1 {
		out = append(out, s[len(s)-1])
	}
	return out
}

// reportView sums up a final report.
func reportView(r *report.Report) *ReportView {
	v := &ReportView{Outcome: r.Run.Outcome, ExitCode: r.Run.ExitCode, StopReason: r.Run.StopReason, DurationS: r.Run.DurationS, Fired: []string{}}
	for _, f := range r.Policies {
		scope := ""
		if f.Target != "" {
			scope = " (" + f.Target + ")"
		}
		v.Fired = append(v.Fired, f.Policy+scope+": "+f.Effect)
	}
	return v
}
