// Package legacy is the adapter from the original Python Trafficinator's
// inputs (a .env file, a funnels.json and a URL list) to a v1 scenario,
// in the manner of Caddy's config adapters. It writes the scenario as
// commented YAML, reports every problem of the inputs at FILE:LINE:COL
// with the diagnostics of scenario/diag, and says out loud wherever the
// migrated scenario behaves differently from the legacy tool.
//
// It is the oldest link of the converter chain of scenario/convert
// ("trafficinator/legacy-env" → "trafficinator/v1"), added to a registry
// by Register.
// docs/migration.md lists every legacy variable with its v1 field and
// every legacy defect with what the migration does about it.
package legacy

import (
	"os"
	"time"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// APIVersion names the legacy .env format in the converter registry.
const APIVersion = "trafficinator/legacy-env"

// SchemaModeline is the first line of every migrated scenario, so that
// editors validate and complete it.
const SchemaModeline = "# yaml-language-server: $schema=https://trafficinator.dev/schema/scenario.v1.json"

// Options tune a migration. The zero value reads the process environment,
// the wall clock and the files the .env names.
type Options struct {
	// Lookup resolves ${VAR} references in .env values to variables the
	// file does not define itself; nil means os.LookupEnv.
	Lookup func(name string) (string, bool)
	// Now is the clock for "today" (absolute backfill windows may not end
	// after it); nil means time.Now.
	Now func() time.Time
	// FunnelsFile replaces FUNNEL_CONFIG_PATH (migrate --funnels); it is
	// taken as given, relative to the working directory.
	FunnelsFile string
	// URLsFile replaces URLS_FILE (migrate --urls), taken as given.
	URLsFile string
	// OutDir is the directory the scenario will be read from; a URL file
	// is referred to relative to it. Empty means the .env file's own
	// directory, which is right for an in-memory migration.
	OutDir string
	// ReadFile reads the funnel and URL files; nil reads regular files
	// from disk, bounded in size. Tests and fuzzing replace it.
	ReadFile func(path string) ([]byte, error)
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o Options) lookup(name string) (string, bool) {
	if o.Lookup != nil {
		return o.Lookup(name)
	}
	return os.LookupEnv(name)
}

// Result is the outcome of migrating one .env file.
type Result struct {
	// Scenario is the migrated scenario as Go values, before it is
	// written; token_auth holds the ${VAR} reference, not a token. Nil
	// when the inputs have errors.
	Scenario *model.Scenario
	// YAML is the migrated scenario file; nil when the inputs have errors.
	YAML []byte
	// Diags are the findings about the inputs, sorted; secrets redacted.
	Diags diag.List
	// Env holds the values of the ${VAR} references YAML makes that the
	// inputs define (the tokens), so that an in-memory migration runs as
	// the legacy file did: resolve variables from the process environment
	// first, then from Env, as --env-file does.
	Env map[string]string
	// Sources holds the text of every file the diagnostics name, with
	// secrets replaced by [redacted], for renderers that quote lines.
	Sources map[string][]byte
}

// Lookup returns the variable lookup to load YAML with: base first (the
// process environment and any --env-file), then the values the legacy
// inputs defined (Env). A nil base is the process environment.
func (r *Result) Lookup(base func(string) (string, bool)) func(string) (string, bool) {
	if base == nil {
		base = os.LookupEnv
	}
	return func(name string) (string, bool) {
		if v, ok := base(name); ok {
			return v, true
		}
		v, ok := r.Env[name]
		return v, ok
	}
}

// Source returns the text of file for diag renderers.
func (r *Result) Source(file string) ([]byte, bool) {
	b, ok := r.Sources[file]
	return b, ok
}

// Migrate turns a legacy .env file (path names it in diagnostics; relative
// files inside it are relative to its directory) into a v1 scenario.
func Migrate(path string, data []byte, opts Options) *Result {
	m := newMigration(path, data, opts)
	m.run()
	return m.result()
}

// MigrateBytes is Migrate for callers that only need the YAML: the bytes
// to load in place of the .env file (nil when diags has errors), and the
// diagnostics about the inputs.
func MigrateBytes(path string, data []byte, opts Options) (yaml []byte, diags diag.List) {
	r := Migrate(path, data, opts)
	return r.YAML, r.Diags
}
