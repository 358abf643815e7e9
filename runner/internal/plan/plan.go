// Package plan compiles a validated scenario into a Plan: the one structure
// the executor runs, with every default resolved and every per-target
// setting decided here, so that nothing is decided twice.
package plan

import (
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Plan is a compiled scenario.
type Plan struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	File        string `json:"file"`
	// Digest is "sha256:<hex>" of the scenario file as read (reports and
	// journals name the scenario by it); the plan document's own digest,
	// of the resolved inputs without secrets, is Document's.
	Digest      string `json:"file_digest"`
	Mode        string `json:"mode"`
	Seed        uint64 `json:"seed"`
	SeedSet     bool   `json:"seed_set"` // false: Seed was drawn at compile time
	Timezone    string `json:"timezone"`
	Concurrency int    `json:"concurrency"`
	Routing     string `json:"routing"`

	Timeline []pacing.Segment     `json:"-"`
	Stages   []Stage              `json:"stages"`
	Stop     Stop                 `json:"stop"`
	Traffic  Traffic              `json:"traffic"`
	Targets  []Target             `json:"targets"`
	Policies []Policy             `json:"policies"`
	Warnings scenario.Diagnostics `json:"warnings"`
	Expected Expected             `json:"expected"`
	Backfill *Backfill            `json:"backfill,omitempty"`
	// Unbounded is true for a run with no end but an interruption: it has
	// no expected totals.
	Unbounded bool `json:"unbounded"`
	// Overrides are the options besides the scenario that shaped the plan
	// (document.go); nil when there were none.
	Overrides *Overrides `json:"overrides,omitempty"`

	location      *time.Location
	scenarioDoc   any      // the resolved scenario without secrets (scenarioTree)
	envSecrets    []string // values read from the environment (Secrets)
	pacer         *pacing.Linear
	mergeWarnings scenario.Diagnostics
	unset         []string // see CheckRunnable
}

// Stage is one stretch of the timeline, for people: start and end offsets
// and the rates at both ends, in visits per second.
type Stage struct {
	Start    Duration `json:"start"`
	End      Duration `json:"end"`
	FromRate float64  `json:"from_rate"`
	ToRate   float64  `json:"to_rate"`
}

// Stop lists the stop conditions; zero values are off.
type Stop struct {
	Duration  Duration `json:"duration"`
	MaxVisits int64    `json:"max_visits"`
	DailyCap  int64    `json:"daily_cap"`
}

// Traffic is the shape of a visit shared by all targets.
type Traffic struct {
	URLs         URLs     `json:"urls"`
	PageviewsMin int      `json:"pageviews_min"`
	PageviewsMax int      `json:"pageviews_max"`
	PauseMin     Duration `json:"pause_min"`
	PauseMax     Duration `json:"pause_max"`
	DurationMin  Duration `json:"visit_duration_min"`
	DurationMax  Duration `json:"visit_duration_max"`
	Sources      Sources  `json:"sources"`
	Funnels      []Funnel `json:"funnels,omitempty"`
	// RandomShare is the share of visits no funnel takes.
	RandomShare float64 `json:"random_share"`
	// Returning is the configured share of visits by earlier visitors
	// (Expected.ReturningShare is what the run's length allows).
	Returning float64 `json:"returning"`
}

// URLs says where page URLs come from.
type URLs struct {
	Builtin bool   `json:"builtin,omitempty"`
	File    string `json:"file,omitempty"` // resolved relative to the scenario file
	// FileDigest is "sha256:<hex>" of File as it was when the plan was
	// made, so that apply --plan notices a changed URL list ("" when it
	// could not be read: the run reports that).
	FileDigest string   `json:"sha256,omitempty"`
	List       []string `json:"list,omitempty"`
}

// Sources are the referrer shares; they add up to exactly 1.
type Sources struct {
	Direct   float64 `json:"direct"`
	Search   float64 `json:"search"`
	Social   float64 `json:"social"`
	Referral float64 `json:"referral"`
	Campaign float64 `json:"campaign"`
}

// Funnel is an enabled funnel with its effective share of visits.
type Funnel struct {
	Name                string  `json:"name"`
	Probability         float64 `json:"probability"`
	Priority            int     `json:"priority"`
	Share               float64 `json:"share"`
	ExitAfterCompletion bool    `json:"exit_after_completion"`
	Steps               int     `json:"steps"`

	steps    []scenario.FunnelStep
	endDelay *scenario.DurationRange
}

// Target is the effective configuration of one target: its settings,
// which its kind receives as they are (targets/kind.Settings), and what
// the plan decided about it.
type Target struct {
	kind.Settings
	Weight   float64  `json:"weight"`
	Share    float64  `json:"share"`
	Enabled  bool     `json:"enabled"`
	Optional bool     `json:"optional"` // a failed preflight leaves it out instead of stopping the run
	Features Features `json:"features"`
	Expected Expected `json:"expected"`
	// MergeRisk is the estimated share of visits Matomo merges or splits
	// when they all come from one address (MergeRisk); 0 when each visit
	// has its own (cip or ip_header) or the kind is not matomo.
	MergeRisk float64 `json:"merge_risk,omitempty"`
}

// Policy is a compiled failure policy.
type Policy struct {
	Name    string      `json:"name"`
	Scope   string      `json:"scope"`
	Targets []string    `json:"targets,omitempty"`
	When    string      `json:"when"`
	For     Duration    `json:"for"`
	Action  string      `json:"action"`
	Line    int         `json:"line"`
	Program *vm.Program `json:"-"`
}

// Location returns the scenario's timezone.
func (p *Plan) Location() *time.Location { return p.location }

// Pacer returns the arrival schedule of realtime mode.
func (p *Plan) Pacer() *pacing.Linear { return p.pacer }

// Options tune compilation.
type Options struct {
	// Seed replaces the scenario's seed when set (apply --seed).
	Seed *uint64
	// Duration and MaxVisits replace the scenario's stop conditions.
	Duration  time.Duration
	MaxVisits int64
	// RandomSeed draws a seed when the scenario has none; nil means a
	// cryptographically random one.
	RandomSeed func() uint64
	// Now is the clock for backfill windows; nil means time.Now.
	Now func() time.Time
	// MeanRequests keeps the bulk targets' request counts of a backfill at
	// hits ÷ bulk instead of counting every visit's hits (about 2 s per
	// million visits): for validate, which shows no request count.
	MeanRequests bool
}

// Compile turns a valid scenario into a plan. It expects a scenario that
// passed validation; the warnings it adds are about the plan as a whole.
func Compile(s *scenario.Scenario, opts Options) (*Plan, error) {
	p := &Plan{
		Name:        s.Metadata.Name,
		Description: s.Metadata.Description,
		Mode:        orDefault(s.Run.Mode, "realtime"),
		Timezone:    orDefault(s.Run.Timezone, "UTC"),
		Concurrency: s.Run.Concurrency,
		Routing:     orDefault(s.Routing, DefaultRouting),
	}
	if p.Concurrency == 0 {
		p.Concurrency = DefaultConcurrency
	}
	if src := s.Source; src != nil {
		p.File, p.Digest = src.File, src.Digest
	}
	p.unset = unsetNames(s)
	loc, err := scenario.LoadLocation(p.Timezone)
	if err != nil {
		return nil, err
	}
	p.location = loc
	p.compileSeed(s, opts)
	p.compileTimeline(s, opts)
	now := time.Now()
	if opts.Now != nil {
		now = opts.Now()
	}
	// Whole seconds: a plan document records the clock that way
	// (Overrides.Now), and apply --plan must see the same days and visits.
	now = now.Truncate(time.Second)
	p.compileBackfill(s, now)
	p.compileTraffic(s)
	p.compileFunnels(s)
	p.compileTargets(s)
	if err := p.compilePolicies(s); err != nil {
		return nil, err
	}
	p.compileExpected(opts.MeanRequests)
	p.checkCapacity()
	p.checkMergeRisk(s)
	p.recordOverrides(s, opts, now)
	p.scenarioDoc = scenarioTree(s)
	p.envSecrets = envSecrets(s)
	return p, nil
}

func (p *Plan) compileSeed(s *scenario.Scenario, opts Options) {
	switch {
	case opts.Seed != nil:
		p.Seed, p.SeedSet = *opts.Seed, true
	case s.Run.Seed != nil:
		p.Seed, p.SeedSet = uint64(*s.Run.Seed), true
	case opts.RandomSeed != nil:
		p.Seed = opts.RandomSeed()
	default:
		p.Seed = randomSeed()
	}
}

func (p *Plan) compilePolicies(s *scenario.Scenario) error {
	p.Policies = []Policy{}
	for _, sp := range s.Policies {
		prog, err := scenario.CompilePolicy(sp.When)
		if err != nil {
			return err
		}
		pol := Policy{
			Name: sp.Name, Scope: sp.EffectiveScope(), Targets: sp.Targets, When: sp.When,
			Action: sp.Action, Line: sp.Pos.Line, Program: prog,
		}
		if sp.For != nil {
			pol.For = Duration(sp.For.D)
		}
		p.Policies = append(p.Policies, pol)
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
