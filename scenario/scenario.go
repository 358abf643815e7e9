// Package scenario is the scenario format as Go sees it: the model of a
// trafficinator/v1 file, its loading (YAML with positions, ${VAR}
// interpolation, the JSON Schema, the semantic checks, legacy .env files
// converted on the way) and the diagnostics it reports.
//
// The implementation lives under scenario/internal (model, conversions,
// diagnostics, the policy language, URL files); this package names what
// the engine and the CLI use of it, and is the only door into it.
package scenario

import (
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// The model of a scenario file (scenario/internal/model).
type (
	Backfill         = model.Backfill
	Date             = model.Date
	Duration         = model.Duration
	DurationRange    = model.DurationRange
	EcommerceFeature = model.EcommerceFeature
	Feature          = model.Feature
	Features         = model.Features
	FloatRange       = model.FloatRange
	Funnel           = model.Funnel
	FunnelStep       = model.FunnelStep
	GeoFeature       = model.GeoFeature
	Index            = model.Index
	IntRange         = model.IntRange
	Lookup           = model.Lookup
	Metadata         = model.Metadata
	Options          = model.Options
	Policy           = model.Policy
	Rate             = model.Rate
	Result           = model.Result
	Run              = model.Run
	Scenario         = model.Scenario
	Source           = model.Source
	Sources          = model.Sources
	Stage            = model.Stage
	Target           = model.Target
	TargetProblem    = model.TargetProblem
	Traffic          = model.Traffic
	URLSource        = model.URLSource
	UnsetVar         = model.UnsetVar
	VisitsPerDay     = model.VisitsPerDay
	BackfillRPS      = model.BackfillRPS
	Window           = model.Window
)

// The model's constants.
const (
	APIVersion          = model.APIVersion
	ActionAbort         = model.ActionAbort
	ActionDisableTarget = model.ActionDisableTarget
	ActionFail          = model.ActionFail
	ActionWarn          = model.ActionWarn
	Kind                = model.Kind
	KindMatomo          = model.KindMatomo
	KindSink            = model.KindSink
	MaxBackfillDays     = model.MaxBackfillDays
	MaxFileSize         = model.MaxFileSize
	ScopeRun            = model.ScopeRun
	ScopeTarget         = model.ScopeTarget
	StepDownload        = model.StepDownload
	StepEcommerce       = model.StepEcommerce
	StepEvent           = model.StepEvent
	StepOutlink         = model.StepOutlink
	StepPageview        = model.StepPageview
	StepSiteSearch      = model.StepSiteSearch
)

// ErrNoPath is returned by LoadPaths for a path that does not exist.
var ErrNoPath = model.ErrNoPath

// Load parses, interpolates, validates and checks one scenario's bytes;
// file names it in diagnostics.
func Load(file string, data []byte, opts Options) *Result { return model.Load(file, data, opts) }

// LoadFile loads the scenario (or legacy .env file) at path.
func LoadFile(path string, opts Options) *Result { return model.LoadFile(path, opts) }

// LoadPaths loads every scenario file named by paths (files or folders).
func LoadPaths(paths []string, opts Options) ([]*Result, error) { return model.LoadPaths(paths, opts) }

// CollectFiles lists the scenario files that paths name.
func CollectFiles(paths []string) ([]string, error) { return model.CollectFiles(paths) }

// Check runs the semantic checks on a decoded scenario.
func Check(s *Scenario, opts Options) Diagnostics { return model.Check(s, opts) }

// EnvLookup reads .env files (later files win) over the environment.
func EnvLookup(envFiles []string) (Lookup, Diagnostics) { return model.EnvLookup(envFiles) }

// ResolveWindow turns a backfill's dates (or days_back) into its window of
// days in loc, as of now.
func ResolveWindow(b *Backfill, loc *time.Location, now time.Time) Window {
	return model.ResolveWindow(b, loc, now)
}

// LoadLocation loads a time zone by IANA name.
func LoadLocation(name string) (*time.Location, error) { return model.LoadLocation(name) }

// ParseDuration parses a scenario duration ("90s", "1h30m", "2d").
func ParseDuration(s string) (time.Duration, error) { return model.ParseDuration(s) }

// ParseRate parses a scenario rate ("10/s", "600/m").
func ParseRate(s string) (float64, error) { return model.ParseRate(s) }

// LoadWalk is LoadPaths that also names the files a directory walk skipped
// (YAML that is not Trafficinator's: compose files, CI workflows,
// Kubernetes manifests).
func LoadWalk(paths []string, opts Options) (results []*Result, skipped []string, err error) {
	return model.LoadWalk(paths, opts)
}
