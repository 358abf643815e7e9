// Package report holds the result of a run in a versioned, self-contained
// form (Report), built from the plan and the metrics and rendered apart
// from them: as a table for people, as JSON for CI and dashboards.
package report

import (
	"fmt"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
)

// Version names the report format; schema/report.v3.json describes it.
// v3 added the targets' expected figures (expected.go) and delivery
// verification; v2 added the unknown, unsent and dropped_hits outcomes
// (docs/delivery.md) and the targets' delivery mode. v2 reports are still
// read (Decode, Merge, Diff: they lack only the v3 parts); v1 reports are
// refused.
const Version = "trafficinator.report/v3"

// VersionV2 is the report format before expected figures and
// verification, still read as input.
const VersionV2 = "trafficinator.report/v2"

// Readable reports whether a report of version v can be read: v3 or v2.
func Readable(v string) bool { return v == Version || v == VersionV2 }

// Report is the outcome of one run.
type Report struct {
	Version  string         `json:"version"`
	Scenario ScenarioInfo   `json:"scenario"`
	Run      RunInfo        `json:"run"`
	Targets  []Target       `json:"targets"`
	Total    Target         `json:"total"`
	Policies []gates.Firing `json:"policies"`
	// PoliciesDefined are the scenario's policies, so that report merge
	// can evaluate them again over the merged figures (see merge.go).
	PoliciesDefined []PolicyDef    `json:"policies_defined"`
	Preflight       []PreflightRow `json:"preflight,omitempty"`
	// Warnings are things the run went on despite, such as an optional
	// target that failed the preflight.
	Warnings []string        `json:"warnings,omitempty"`
	Backfill *BackfillReport `json:"backfill,omitempty"`
	Sinks    []SinkStats     `json:"sinks,omitempty"`
	// MergedFrom lists the runs a merged report adds up (report merge).
	MergedFrom []Part `json:"merged_from,omitempty"`
	// Verification sums up the targets' verification.
	Verification *VerificationSummary `json:"verification,omitempty"`
}

// BackfillReport is the day-by-day account of a backfill run.
type BackfillReport struct {
	Timezone string   `json:"timezone"`
	Days     []DayRow `json:"days"`
	// NextSteps says how to make the data show in Matomo's reports.
	NextSteps string `json:"next_steps"`
	// Invalidated lists, per target, the outcome of the automatic archive
	// invalidation (run.backfill.invalidate).
	Invalidated []Invalidation `json:"invalidated,omitempty"`
	// Verdicts are the built-in failures of the backfill; any makes the
	// run fail (exit 1).
	Verdicts []Verdict `json:"verdicts,omitempty"`
	// State is the journal of the run, to give to --resume.
	State string `json:"state,omitempty"`
	// Auto is what rps: auto found; nil for a fixed rps.
	Auto *AutoRate `json:"auto,omitempty"`
}

// AutoRate is what rps: auto found: the rate it settled on, how long it
// took, and where its limit on the visits in flight ended.
type AutoRate struct {
	// SettledRPS is the median of the visits started per second over the
	// second half of the run.
	SettledRPS float64 `json:"settled_rps"`
	// ConvergedS is the seconds until a 5-second average of the rate first
	// reached 90% of SettledRPS.
	ConvergedS float64 `json:"converged_s"`
	// Limit is the visits allowed in flight at the end, and Cuts how often
	// the target's latency or errors made the limit shrink.
	Limit int `json:"limit"`
	Cuts  int `json:"cuts"`
	// MaxRPS is the ceiling (apply --max-rps); 0: none.
	MaxRPS float64 `json:"max_rps,omitempty"`
}

// DayRow is one local day of a backfill, accounted by visit from the
// journal (docs/backfill.md#accounting): a visit is delivered when every
// one of its hits was answered ok. The other visits fall in exactly one
// of undelivered, rejected_visits and unknown_visits, in that order of
// precedence, so that the four add up to planned.
type DayRow struct {
	Date      string `json:"date"`
	Planned   int64  `json:"planned"`   // visits
	Delivered int64  `json:"delivered"` // visits all of whose hits were answered ok
	// Undelivered visits have hits that failed or were never sent (or
	// never started): --resume sends those hits.
	Undelivered int64 `json:"undelivered"`
	// RejectedVisits have hits Matomo refused, and nothing to resend:
	// sending a refused hit again gets it refused again.
	RejectedVisits int64 `json:"rejected_visits"`
	// UnknownVisits have hits sent without a known answer, and nothing
	// else wrong; they are not resent unless --resend-unknown.
	UnknownVisits int64 `json:"unknown_visits"`
	OK            int64 `json:"ok"`       // hits
	Rejected      int64 `json:"rejected"` // hits
	Failed        int64 `json:"failed"`   // hits not recorded, to resend
	Unknown       int64 `json:"unknown"`  // hits
	Unsent        int64 `json:"unsent"`   // hits of started visits never sent
	// Complete says no visit is undelivered.
	Complete bool `json:"complete"`
	// Resumed says the journal given to --resume had the day complete:
	// nothing of it was sent by this run.
	Resumed bool `json:"resumed,omitempty"`
}

// Verdict is a built-in judgement of a run, beside its policies: a
// backfill that leaves visits undelivered fails whatever the policies
// say.
type Verdict struct {
	Name    string `json:"name"` // undelivered_visits | rejected_hits
	Message string `json:"message"`
}

// Invalidation is the outcome of invalidating one target's archives.
type Invalidation struct {
	Target string `json:"target"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// PreflightRow is the check of one target before traffic started.
type PreflightRow struct {
	Target    string  `json:"target"`
	Endpoint  string  `json:"endpoint"`
	Reachable bool    `json:"reachable"`
	Token     string  `json:"token"` // ok | refused | unchecked | none
	Status    int     `json:"status"`
	LatencyMs float64 `json:"latency_ms"`
	Message   string  `json:"message"`
	// Optional: the target may fail the preflight without stopping the run.
	Optional bool `json:"optional,omitempty"`
}

// Disabled says when and why a policy stopped routing to a target.
type Disabled struct {
	At       time.Time `json:"at"`
	ElapsedS float64   `json:"elapsed_s"`
	Policy   string    `json:"policy"`
	Reason   string    `json:"reason"`
}

// ScenarioInfo identifies what ran.
type ScenarioInfo struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Digest string `json:"digest"`
}

// RunInfo says when and how the run went.
type RunInfo struct {
	ID         string    `json:"id"`
	Seed       uint64    `json:"seed"`
	Mode       string    `json:"mode"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	DurationS  float64   `json:"duration_s"`
	StopReason string    `json:"stop_reason"`
	Outcome    string    `json:"outcome"` // passed | failed | aborted | interrupted
	ExitCode   int       `json:"exit_code"`
	// PlannedVisits is the integral of the planned rate over the run.
	PlannedVisits float64 `json:"planned_visits"`
	PlannedRate   float64 `json:"planned_rate"`  // visits/s, mean over the run
	AchievedRate  float64 `json:"achieved_rate"` // visits started + dropped per second
	// Shard is set for a run of one slice of a scenario (apply --shard,
	// docs/scale.md): its shards share the run id and the digest.
	Shard *Shard `json:"shard,omitempty"`
	// Resumed says the run went on from the journal of earlier attempts
	// (--resume): its figures are the whole job's, theirs included, so
	// that its report replaces theirs (and report merge takes it alone).
	Resumed bool `json:"resumed,omitempty"`
}

// Shard is which disjoint slice of a run a report holds: Index in
// 0 … Count−1.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Target is the figures of one target, or of the whole run (Total).
type Target struct {
	Name     string         `json:"name"`
	Kind     string         `json:"kind,omitempty"`
	Share    float64        `json:"share"`
	Features *plan.Features `json:"features,omitempty"`
	Health   string         `json:"health,omitempty"`
	// Delivery is set only for a target that opted in to at_least_once:
	// its hits may have been recorded twice (docs/delivery.md).
	Delivery string           `json:"delivery,omitempty"`
	Disabled *Disabled        `json:"disabled,omitempty"`
	Counters metrics.Counters `json:"counters"`
	// Carried is the part of Counters that earlier attempts of a resumed
	// backfill counted, read from the journal (docs/backfill.md#resuming-a-backfill):
	// a resumed report accounts for the whole job. nil when none.
	Carried *metrics.Counters `json:"carried,omitempty"`
	Latency Latency           `json:"latency_ms"`
	// Series are the figures per 10-second bucket.
	Series []Point `json:"series"`
	// Planned sets the plan's expected values beside what was achieved.
	Planned Comparison `json:"planned_vs_achieved"`
	// Histogram is the HDR latency histogram (µs) in HdrHistogram's V2
	// compressed base64 encoding, so that reports merge exactly.
	Histogram string `json:"histogram"`
	// Expected is what Matomo should show, by day (expected.go): set for
	// every target of a run; Total's is the sum of the targets', without
	// a sample. nil in a report read from v2.
	Expected *Expected `json:"expected,omitempty"`
	// Verification is what Matomo recorded beside it (apply --verify,
	// trafficinator verify).
	Verification *Verification `json:"verification,omitempty"`
}

// Latency percentiles in milliseconds.
type Latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Point is one time-series bucket; T is the end of the bucket in seconds
// since the start of the run.
type Point struct {
	T       float64 `json:"t"`
	Visits  int64   `json:"visits"`
	Hits    int64   `json:"hits"`
	Errors  int64   `json:"errors"`
	Dropped int64   `json:"dropped"`
	P95Ms   float64 `json:"p95_ms"`
}

// Comparison sets planned figures beside achieved ones. Planned values are
// expected values over the time arrivals were scheduled.
type Comparison struct {
	Visits     Pair            `json:"visits"`
	Rate       Pair            `json:"rate"`
	HitsByKind map[string]Pair `json:"hits_by_kind"`
}

// Pair is a planned and an achieved value.
type Pair struct {
	Planned  float64 `json:"planned"`
	Achieved float64 `json:"achieved"`
}

// SinkStats are what an in-process sink recorded (kind: sink targets).
type SinkStats struct {
	Target string `json:"target"`
	Stats  any    `json:"stats"`
}

// AtLeastOnce is the delivery mode that retries requests which may have
// reached Matomo (scenario targets[].delivery).
const AtLeastOnce = "at_least_once"

// SetDelivery records the target's delivery mode; only at_least_once is
// kept, since it is the one the report must warn about.
func (t *Target) SetDelivery(mode string) {
	if mode == AtLeastOnce {
		t.Delivery = mode
	}
}
