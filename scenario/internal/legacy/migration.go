package legacy

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/model"
)

// migration is the state of one Migrate call: the settings read from the
// .env, the scenario being built, its comments and the diagnostics.
type migration struct {
	opts Options
	file string
	data []byte

	vars  map[string]*setting // the last assignment of each key
	order []*setting          // every assignment, in file order

	s         *model.Scenario
	c         *comments
	diags     diag.List
	secrets   []string
	env       map[string]string
	sources   map[string][]byte
	dropped   []string        // header lines: legacy settings with no v1 field
	tokenVars map[string]bool // variables the targets' tokens are read from
	// funnelCount is the number of funnels kept so far, which is the
	// index of the next one in traffic.funnels.
	funnelCount    int
	funnelNameOffs []int      // where each kept funnel's name is in its file
	targetPos      []diag.Pos // where each target is in MULTI_TARGET_CONFIG
}

func newMigration(path string, data []byte, opts Options) *migration {
	return &migration{
		opts: opts, file: path, data: data,
		vars: map[string]*setting{},
		s: &model.Scenario{
			APIVersion: model.APIVersion, Kind: model.Kind,
			Metadata: model.Metadata{Name: scenarioName(path),
				Description: "Migrated from the legacy Trafficinator file " + filepath.Base(path) + "."},
		},
		c:       newComments(),
		env:     map[string]string{},
		sources: map[string][]byte{path: data},
	}
}

// run reads the .env and builds every part of the scenario. Every builder
// runs even after an error, so that a file's every problem is reported.
func (m *migration) run() {
	m.readEnv()
	m.buildRun()
	m.buildTargets()
	m.buildBackfill()
	m.buildTraffic()
	m.buildURLs()
	m.buildFunnels()
	m.checkUnused()
	m.generalNotes()
}

func (m *migration) result() *Result {
	r := &Result{Env: m.env, Sources: map[string][]byte{}}
	if !m.diags.HasErrors() {
		r.Scenario = m.s
		r.YAML = emit(m.s, m.c)
		m.selfCheck(r.YAML)
	}
	if m.diags.HasErrors() {
		r.Scenario, r.YAML = nil, nil
	}
	r.Diags = m.diags.Redact(m.secrets)
	r.Diags.Sort()
	for f, b := range m.sources {
		r.Sources[f] = diag.MaskSecrets(b, m.secrets)
	}
	return r
}

// scenarioName derives metadata.name from the file name: light.env and
// .env.light both give "light"; a bare .env gives "legacy-env".
func scenarioName(path string) string {
	base := filepath.Base(path)
	name := strings.TrimSuffix(base, ".env")
	if rest, ok := strings.CutPrefix(base, ".env"); ok {
		name = strings.TrimLeft(rest, ".-_")
	}
	if name == "" || name == "." || name == string(filepath.Separator) {
		return "legacy-env"
	}
	return name
}

// report adds a diagnostic; when path names a v1 field, the message also
// becomes a note in the YAML next to that field.
func (m *migration) report(sev diag.Severity, file string, pos diag.Pos, path, msg, hint string) {
	m.diags = append(m.diags, diag.Diagnostic{File: file, Severity: sev, Message: msg, Hint: hint}.At(pos))
	if path != "" {
		text := msg
		if hint != "" {
			text += " (" + hint + ")"
		}
		m.c.note(path, text)
	}
}

// errorf reports an error about a setting's value.
func (m *migration) errorf(st *setting, hint, format string, a ...any) {
	m.report(diag.Error, m.file, st.valuePos(), "", fmt.Sprintf(format, a...), hint)
}

// errorAt reports an error at a position of the .env file.
func (m *migration) errorAt(pos diag.Pos, hint, format string, a ...any) {
	m.report(diag.Error, m.file, pos, "", fmt.Sprintf(format, a...), hint)
}

// warn reports a warning about a setting (at its value) that is also a
// note on path.
func (m *migration) warn(st *setting, path, hint, format string, a ...any) {
	m.report(diag.Warning, m.file, st.valuePos(), path, fmt.Sprintf(format, a...), hint)
}

// info reports a note about a setting (at its key) that is also a note on
// path.
func (m *migration) info(st *setting, path, format string, a ...any) {
	m.report(diag.Info, m.file, st.keyPos(), path, fmt.Sprintf(format, a...), "")
}

// fileNote reports a finding that belongs to no line (a variable that is
// not set) and notes it on path.
func (m *migration) fileNote(sev diag.Severity, path, format string, a ...any) {
	m.report(sev, m.file, diag.Pos{}, path, fmt.Sprintf(format, a...), "")
}

// drop records a legacy setting that has no place in the scenario, for
// the header of the YAML.
func (m *migration) drop(format string, a ...any) {
	m.dropped = append(m.dropped, fmt.Sprintf(format, a...))
}

// selfCheck loads the YAML it wrote, with every ${VAR} resolved to a
// stand-in, and turns any error into a diagnostic: the adapter promises a
// valid scenario, and an invalid one must never leave it in silence.
func (m *migration) selfCheck(yaml []byte) {
	// The scenario will be read from OutDir, and its URL file path is
	// relative to that.
	name := m.file
	if m.opts.OutDir != "" {
		name = filepath.Join(m.opts.OutDir, filepath.Base(m.file))
	}
	res := model.Load(name, yaml, model.Options{
		Lookup: func(name string) (string, bool) {
			if v, ok := m.env[name]; ok && strings.HasPrefix(name, "MATOMO_URL") {
				return v, true // a URL with credentials, moved out of the scenario
			}
			return "0123456789abcdef0123456789abcdef", true
		},
		Now:         m.opts.Now,
		ReadURLFile: m.opts.ReadFile,
	})
	for _, d := range res.Diags {
		if d.Severity == diag.Error {
			m.diags = append(m.diags, diag.Diagnostic{File: m.file, Severity: diag.Error,
				Message: fmt.Sprintf("the migrated scenario is invalid at its line %d: %s", d.Line, d.Message),
				Hint:    "this is a defect of the migration; please report it with the .env file"})
		}
	}
}
