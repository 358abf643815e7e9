package report

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Input is one report to merge and where it was read from (a file name),
// for messages and merged_from.
type Input struct {
	Source string
	Report *Report
}

// Part is one run that a merged report adds up.
type Part struct {
	Source     string    `json:"source"`
	ID         string    `json:"id"`
	Seed       uint64    `json:"seed"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	StopReason string    `json:"stop_reason"`
	Outcome    string    `json:"outcome"`
	ExitCode   int       `json:"exit_code"`
	Shard      *Shard    `json:"shard,omitempty"`
	Resumed    bool      `json:"resumed,omitempty"`
}

// ScenarioMismatchError says that two reports are runs of different
// scenarios (their scenario digests differ), which do not add up.
type ScenarioMismatchError struct{ A, B Input }

func (e *ScenarioMismatchError) Error() string {
	side := func(in Input) string {
		return fmt.Sprintf("%s (scenario %q, %s)", in.Source, in.Report.Scenario.Name, shortDigest(in.Report.Scenario.Digest))
	}
	return fmt.Sprintf("%s and %s are runs of different scenarios; only runs of the same scenario file merge", side(e.A), side(e.B))
}

// RepeatedRunError says that one run is in two of the reports to merge
// (the same file twice, or a run already inside a merged report): adding
// it twice would double its counts.
type RepeatedRunError struct {
	ID   string
	A, B string // the sources that both hold it
	// Resumed: one of them resumed the run (--resume), so it holds the
	// earlier attempt's figures too.
	Resumed bool
}

func (e *RepeatedRunError) Error() string {
	if e.A == e.B {
		return fmt.Sprintf("%s is given twice (run %s): each run is merged once, or its counts would be doubled", e.A, e.ID)
	}
	if e.Resumed {
		return fmt.Sprintf("%s and %s both hold run %s: %s", e.A, e.B, e.ID, lastAttemptOnly)
	}
	return fmt.Sprintf("%s and %s both hold run %s: each run is merged once, or its counts would be doubled", e.A, e.B, e.ID)
}

// lastAttemptOnly tells what to do with the reports of an attempt and its
// resume.
const lastAttemptOnly = "a resumed run's report holds the figures of its earlier attempts too; merge only the report of its last attempt"

// checkRepeatedRuns refuses a run id that appears twice among the runs
// the inputs add up (a merged report counts as the runs it merged).
// The shards of one run share its id (checkShards judges them).
func checkRepeatedRuns(in []Input) error {
	type seenPart struct {
		source  string
		resumed bool
	}
	seen := map[string]seenPart{}
	for _, x := range in {
		for _, p := range partsOf(x) {
			if p.Shard != nil {
				continue
			}
			if prev, dup := seen[p.ID]; dup {
				return &RepeatedRunError{ID: p.ID, A: prev.source, B: x.Source, Resumed: prev.resumed || p.Resumed}
			}
			seen[p.ID] = seenPart{x.Source, p.Resumed}
		}
	}
	return nil
}

func shortDigest(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12] + "…"
	}
	return d
}

// Merge adds up reports of runs of one scenario that ran side by side
// (the load split over machines or processes), as docs/reports.md
// describes: counters are summed and latency histograms merged exactly,
// expected figures added by date and their samples joined,
// per target (matched by name) and in total; rates add up; time series
// are merged by bucket; the live policy firings of the parts are kept and
// the end-of-run policies are evaluated again over the merged figures,
// which decide the merged outcome. A run that two inputs both hold is
// refused (RepeatedRunError).
func Merge(in []Input) (*Report, error) {
	if len(in) == 0 {
		return nil, errors.New("no report to merge")
	}
	for _, x := range in {
		if x.Report == nil {
			return nil, fmt.Errorf("%s: no report", x.Source)
		}
		if !Readable(x.Report.Version) {
			return nil, fmt.Errorf("%s: report version %q is not supported (want %q or %q)", x.Source, x.Report.Version, Version, VersionV2)
		}
		if x.Report.Scenario.Digest != in[0].Report.Scenario.Digest {
			return nil, &ScenarioMismatchError{A: in[0], B: x}
		}
	}
	if err := checkShards(in); err != nil {
		return nil, err
	}
	if err := checkRepeatedRuns(in); err != nil {
		return nil, err
	}
	first := in[0].Report
	active := activeSeconds(in)
	out := &Report{
		Version: Version, Scenario: first.Scenario,
		PoliciesDefined: slices.Clone(first.PoliciesDefined),
		Run:             mergeRun(in, active),
	}
	if err := mergeAllTargets(out, in, active); err != nil {
		return nil, err
	}
	var live []gates.Firing
	for _, x := range in {
		out.MergedFrom = append(out.MergedFrom, partsOf(x)...)
		out.Preflight = append(out.Preflight, x.Report.Preflight...)
		out.Warnings = append(out.Warnings, x.Report.Warnings...)
		out.Sinks = append(out.Sinks, x.Report.Sinks...)
		for _, f := range x.Report.Policies {
			if f.Phase != "end" { // end firings judged a part alone
				live = append(live, f)
			}
		}
	}
	slices.SortStableFunc(live, func(a, b gates.Firing) int { return a.At.Compare(b.At) })
	end, err := evaluateEnd(out)
	if err != nil {
		return nil, err
	}
	out.Policies = append(live, end.firings...)
	setOutcome(out, in, end)
	out.Backfill = mergeBackfill(in)
	return out, nil
}

// mergeAllTargets merges the targets (by name, in order of first
// appearance) and the totals.
func mergeAllTargets(out *Report, in []Input, active float64) error {
	var names []string
	parts := map[string][]sourced{}
	var totals []sourced
	for _, x := range in {
		for _, t := range x.Report.Targets {
			if _, seen := parts[t.Name]; !seen {
				names = append(names, t.Name)
			}
			parts[t.Name] = append(parts[t.Name], sourced{x.Source, t})
		}
		totals = append(totals, sourced{x.Source, x.Report.Total})
	}
	for _, name := range names {
		t, err := mergeTargets(name, parts[name], active)
		if err != nil {
			return err
		}
		out.Targets = append(out.Targets, t)
	}
	total, err := mergeTargets("total", totals, active)
	if err != nil {
		return err
	}
	total.Kind, total.Features = "", nil
	out.Total = total
	out.SumExpected()
	return nil
}

// sourced is a report target and the file it came from.
type sourced struct {
	source string
	t      Target
}

func mergeTargets(name string, parts []sourced, active float64) (Target, error) {
	var snap metrics.Snapshot
	for _, p := range parts {
		s, err := p.t.Snapshot()
		if err != nil {
			return Target{}, fmt.Errorf("%s: target %s: unreadable latency histogram: %v", p.source, name, err)
		}
		snap.Merge(s)
	}
	if snap.Latency == nil {
		snap.Merge(metrics.Snapshot{})
	}
	out := TargetFrom(name, snap)
	first := parts[0].t
	out.Kind, out.Share, out.Features = first.Kind, first.Share, first.Features
	out.Planned = Comparison{HitsByKind: map[string]Pair{}}
	series := make([][]Point, 0, len(parts))
	for _, p := range parts {
		t := p.t
		if healthRank(t.Health) > healthRank(out.Health) {
			out.Health = t.Health
		}
		out.SetDelivery(t.Delivery)
		if t.Disabled != nil && (out.Disabled == nil || t.Disabled.At.Before(out.Disabled.At)) {
			d := *t.Disabled
			out.Disabled = &d
		}
		out.Planned.Visits = out.Planned.Visits.add(t.Planned.Visits)
		for k, v := range t.Planned.HitsByKind {
			out.Planned.HitsByKind[k] = out.Planned.HitsByKind[k].add(v)
		}
		series = append(series, t.Series)
		if t.Expected != nil {
			if out.Expected == nil {
				out.Expected = &Expected{Days: []ExpectedDay{}, Sample: []kind.LiveVisit{}}
			}
			out.Expected.Add(t.Expected)
		}
	}
	out.Series = mergeSeries(series)
	if active > 0 {
		v := out.Planned.Visits
		out.Planned.Rate = Pair{Planned: v.Planned / active, Achieved: v.Achieved / active}
	}
	return out, nil
}

func (p Pair) add(o Pair) Pair {
	return Pair{Planned: p.Planned + o.Planned, Achieved: p.Achieved + o.Achieved}
}

// healthRank orders health from no data to worst; a merged target is as
// unhealthy as its worst part.
func healthRank(h string) int {
	return slices.Index([]string{"", metrics.HealthUnknown, metrics.HealthHealthy, metrics.HealthDegraded, metrics.HealthFailing}, h)
}

// mergeRun spans the parts: earliest start to latest end, planned visits
// summed, rates over the time any part was scheduling arrivals (active
// seconds): parts side by side add their rates up, parts one after the
// other average them.
func mergeRun(in []Input, active float64) RunInfo {
	first := in[0].Report.Run
	run := RunInfo{Seed: first.Seed, Mode: first.Mode, Start: first.Start, End: first.End}
	var ids []string
	for _, x := range in {
		r := x.Report.Run
		if !slices.Contains(ids, r.ID) { // the shards of a run share its id
			ids = append(ids, r.ID)
		}
		if r.Start.Before(run.Start) {
			run.Start = r.Start
		}
		if r.End.After(run.End) {
			run.End = r.End
		}
		run.PlannedVisits += r.PlannedVisits
		run.AchievedRate += r.AchievedRate * partActive(r) // visits due
	}
	if active > 0 {
		run.PlannedRate = run.PlannedVisits / active
		run.AchievedRate /= active
	} else {
		run.AchievedRate = 0
	}
	run.ID = strings.Join(ids, "+")
	// Each part's own duration (monotonic, so exact) shifted by its start.
	for _, x := range in {
		r := x.Report.Run
		run.DurationS = max(run.DurationS, r.Start.Sub(run.Start).Seconds()+r.DurationS)
	}
	run.StopReason = mergeStopReason(in)
	return run
}

// partActive is how long a part scheduled arrivals, in seconds: planned
// visits over the planned rate (the runner's active time), else the whole
// run.
func partActive(r RunInfo) float64 {
	if r.PlannedRate > 0 && r.PlannedVisits > 0 {
		return r.PlannedVisits / r.PlannedRate
	}
	return r.DurationS
}

// activeSeconds measures the union of the parts' active intervals.
func activeSeconds(in []Input) float64 {
	type span struct{ from, to float64 }
	origin := in[0].Report.Run.Start
	spans := make([]span, 0, len(in))
	for _, x := range in {
		r := x.Report.Run
		from := r.Start.Sub(origin).Seconds()
		spans = append(spans, span{from, from + partActive(r)})
	}
	slices.SortFunc(spans, func(a, b span) int {
		switch {
		case a.from < b.from:
			return -1
		case a.from > b.from:
			return 1
		}
		return 0
	})
	total, end := 0.0, math.Inf(-1)
	for _, s := range spans {
		from := max(s.from, end)
		if s.to > from {
			total += s.to - from
		}
		end = max(end, s.to)
	}
	return total
}

// stopRank orders stop reasons by how much they say about the run; the
// merged reason is the strongest of the parts' (merged_from keeps each).
var stopRank = []string{"completed", "duration", "max_visits", "no_target", "aborted", "interrupted"}

func mergeStopReason(in []Input) string {
	best := in[0].Report.Run.StopReason
	for _, x := range in[1:] {
		if r := x.Report.Run.StopReason; slices.Index(stopRank, r) > slices.Index(stopRank, best) {
			best = r
		}
	}
	return best
}

// partsOf lists the runs of one input: itself, or the runs it merged.
func partsOf(x Input) []Part {
	if len(x.Report.MergedFrom) > 0 {
		return x.Report.MergedFrom
	}
	r := x.Report.Run
	return []Part{{Source: x.Source, ID: r.ID, Seed: r.Seed, Start: r.Start, End: r.End,
		StopReason: r.StopReason, Outcome: r.Outcome, ExitCode: r.ExitCode, Shard: r.Shard, Resumed: r.Resumed}}
}

// setOutcome decides the merged outcome as the runner decides a run's: an
// interrupted part leaves the whole interrupted; an aborted part or an
// abort policy aborts it; a fail policy (live in a part, or at the end
// over the merged figures) fails it.
func setOutcome(out *Report, in []Input, end endResult) {
	anyPart := func(outcome string) bool {
		return slices.ContainsFunc(in, func(x Input) bool { return x.Report.Run.Outcome == outcome })
	}
	failedLive := slices.ContainsFunc(out.Policies, func(f gates.Firing) bool {
		return f.Phase != "end" && (f.Action == scenario.ActionFail || f.Action == scenario.ActionAbort)
	})
	switch {
	case anyPart("interrupted"):
		out.Run.Outcome, out.Run.ExitCode = "interrupted", 130
	case anyPart("aborted") || end.aborted:
		out.Run.Outcome, out.Run.ExitCode = "aborted", 1
	case failedLive || end.failed:
		out.Run.Outcome, out.Run.ExitCode = "failed", 1
	default:
		out.Run.Outcome, out.Run.ExitCode = "passed", 0
	}
}
