package scenario

import (
	"io"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/scenario/internal/legacy"
	"github.com/trafficinator/trafficinator/scenario/internal/policy"
	"github.com/trafficinator/trafficinator/scenario/internal/urlfile"
)

// The scenario's helpers live under scenario/internal: they make no
// promise to code outside this module. What the engine and the CLI need
// of them is named here: diagnostics, the policy language, URL files and
// conversions.

// Diagnostic is one finding about a file, with its source range: the one
// diagnostic type of the product, rendered as text, JSON or GitHub
// annotations.
type Diagnostic = diag.Diagnostic

// Diagnostics is a list of findings.
type Diagnostics = diag.List

// Severity orders diagnostics; only errors make a file invalid.
type Severity = diag.Severity

// The severities.
const (
	SeverityInfo    = diag.Info
	SeverityNote    = diag.Note
	SeverityWarning = diag.Warning
	SeverityError   = diag.Error
)

// SourceFiles gives the text of a file, for rendering source lines.
type SourceFiles = diag.Sources

// Redacted is what a secret is replaced with wherever it would be shown.
const Redacted = diag.Redacted

// RedactURL returns raw with its credentials (user info, token_auth)
// redacted.
func RedactURL(raw string) string { return diag.RedactURL(raw) }

// RedactString replaces each secret (of at least 4 bytes) in s with
// [redacted], as diagnostics do: the plan's copy of a scenario uses it.
func RedactString(s string, secrets []string) string { return diag.RedactString(s, secrets) }

// WriteDiagnostics renders l in format (text, json, github).
func WriteDiagnostics(w io.Writer, format string, l Diagnostics, src SourceFiles) error {
	return diag.Write(w, format, l, src)
}

// WriteDiagnosticsText renders l as text with source lines.
func WriteDiagnosticsText(w io.Writer, l Diagnostics, src SourceFiles) error {
	return diag.WriteText(w, l, src)
}

// WriteDiagnosticsGitHub renders l as GitHub workflow annotations.
func WriteDiagnosticsGitHub(w io.Writer, l Diagnostics) error { return diag.WriteGitHub(w, l) }

// PolicyInfo is what a policy expression reads (its variables, windows).
type PolicyInfo = policy.Info

// PolicyEnv is the environment a policy expression is evaluated in.
type PolicyEnv = policy.Env

// PolicyStats are the figures of one window, as policies read them.
type PolicyStats = policy.Stats

// PolicyVerification are the figures of delivery verification, as
// policies read them at the end of a run.
type PolicyVerification = policy.Verification

// AnalyzePolicy reports what the expression when reads.
func AnalyzePolicy(when string) PolicyInfo { return policy.Analyze(when) }

// CompilePolicy compiles a policy expression against PolicyEnv.
func CompilePolicy(when string) (*vm.Program, error) { return policy.Compile(when) }

// ParsePolicySpan parses a policy window span ("30s", "5m").
func ParsePolicySpan(s string) (time.Duration, error) { return policy.ParseSpan(s) }

// URLEntry is one line of a URL file.
type URLEntry = urlfile.Entry

// Limits of a URL file.
const (
	MaxURLFileSize = urlfile.MaxSize
	MaxURLChars    = urlfile.MaxURLChars
)

// LoadURLFile reads a URL file.
func LoadURLFile(path string) ([]URLEntry, error) { return urlfile.Load(path) }

// ParseURLFile reads a URL file's lines from r; name is used in errors.
func ParseURLFile(r io.Reader, name string) ([]URLEntry, error) { return urlfile.Parse(r, name) }

// ParseURLLine parses one line of a URL file.
func ParseURLLine(line string) (e URLEntry, ok bool, err error) { return urlfile.ParseLine(line) }

// IsHTTPURL says whether s is an absolute http(s) URL.
func IsHTTPURL(s string) bool { return urlfile.IsHTTPURL(s) }

// Document is a file to convert (migrate): its format version, name and
// bytes.
type Document = convert.Document

// ConvertOptions tune a conversion.
type ConvertOptions = convert.Options

// ConverterRegistry holds the conversions between formats and detects a
// file's format.
type ConverterRegistry = convert.Registry

// Converters is the one registry of format converters, built here and
// nowhere else: loading uses it (Options.Converters) so that validate,
// plan and apply take a legacy .env file, converted in memory, and migrate
// uses it to write the converted file. A new format is one more Register
// call below.
var Converters = sync.OnceValue(func() *ConverterRegistry {
	r := convert.NewRegistry()
	if err := legacy.Register(r); err != nil {
		panic(err) // a fixed list of converters: a bad one is a programming error
	}
	return r
})

// LegacyOptions tune the migration of a legacy .env file.
type LegacyOptions = legacy.Options

// LegacyResult is a migration: the scenario's YAML, its diagnostics and
// the environment the .env file held.
type LegacyResult = legacy.Result

// MigrateLegacy converts a legacy .env file (its name and bytes) into a
// trafficinator/v1 scenario.
func MigrateLegacy(file string, data []byte, opts LegacyOptions) *LegacyResult {
	return legacy.Migrate(file, data, opts)
}

// The extra inputs of a legacy conversion (ConvertOptions.Inputs). Importing
// legacy also registers it with the loader: a scenario path may name a
// legacy .env file, which is migrated on load.
const (
	LegacyInputFunnels = legacy.InputFunnels
	LegacyInputURLs    = legacy.InputURLs
)
