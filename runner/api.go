package runner

import (
	"io"

	"github.com/trafficinator/trafficinator/runner/internal/gates"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/live"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// The engine's packages live under runner/internal: they make no promise
// to code outside this module. What the CLI needs of them is named here,
// so that this file, run.go and runner/report are the runner's whole
// public surface.

// Plan is a compiled scenario: what `trafficinator plan` shows and Run
// executes.
type Plan = plan.Plan

// PlanOptions override parts of a scenario at compile time (CLI flags).
type PlanOptions = plan.Options

// Duration is a plan's duration value (JSON: a Go duration string).
type Duration = plan.Duration

// CompilePlan compiles a loaded scenario into a plan; nothing is sent.
func CompilePlan(s *scenario.Scenario, o PlanOptions) (*Plan, error) { return plan.Compile(s, o) }

// WritePlanJSON writes p as the plan's JSON document.
func WritePlanJSON(w io.Writer, p *Plan) error { return plan.WriteJSON(w, p) }

// ReviewedPlan is a plan document read back from a file (plan --out).
type ReviewedPlan = plan.Reviewed

// PlanChange is one field in which a reviewed plan and now's differ.
type PlanChange = plan.Change

// ReadPlanDocument decodes a plan document; check validates it against
// the plan schema and returns its first problem, or "".
func ReadPlanDocument(r io.Reader, check func(doc any) string) (*ReviewedPlan, error) {
	return plan.ReadDocument(r, check)
}

// PlanDocument returns p's JSON document as a tree (what WritePlanJSON
// writes).
func PlanDocument(p *Plan) (map[string]any, error) { return plan.Document(p) }

// ComparePlans lists every field in which the reviewed document and now's
// differ; none means apply --plan may run now's.
func ComparePlans(reviewed, now map[string]any) []PlanChange { return plan.Compare(reviewed, now) }

// WritePlanTable writes p as tables for a person.
func WritePlanTable(w io.Writer, p *Plan) error { return plan.WriteTable(w, p) }

// JournalState is what a journal (apply --state) says about a run: the
// resume state.
type JournalState = journal.State

// JournalReadInfo says what reading a journal met (a torn last record).
type JournalReadInfo = journal.ReadInfo

// ReadJournal reads the journal at path.
func ReadJournal(path string) (*JournalState, JournalReadInfo, error) { return journal.ReadFile(path) }

// LiveSource is what a run exposes to the live metrics server.
type LiveSource = live.Source

// LiveServer serves a run's live figures (apply --metrics-addr).
type LiveServer = live.Server

// ServeLive starts the live metrics server on addr.
func ServeLive(addr string, src LiveSource) (*LiveServer, error) { return live.Serve(addr, src) }

// PolicyFiring is one policy that fired, as the report lists it.
type PolicyFiring = gates.Firing

// CheckTarget checks a target's settings by asking its kind
// (scenario.Options.CheckTarget): validate, plan and apply pass it, so that
// a kind's own rules are reported with their line and column.
func CheckTarget(t *scenario.Target) []scenario.TargetProblem { return plan.CheckTarget(t) }
