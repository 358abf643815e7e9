package model

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/convert"
	"github.com/trafficinator/trafficinator/scenario/internal/diag"
	"github.com/trafficinator/trafficinator/schema"
)

// MaxFileSize bounds what the loader reads; scenarios are small, and a
// bound keeps a mistaken path (a log file, a device) from eating memory.
const MaxFileSize = 4 << 20

// Options tune loading. The zero value reads the process environment and
// the wall clock.
type Options struct {
	// Lookup resolves ${VAR} references; nil means os.LookupEnv.
	Lookup Lookup
	// Now is the clock for "not in the future" checks; nil means time.Now.
	Now func() time.Time
	// ReadURLFile reads the file of traffic.urls.file for its check; nil
	// means urlfile.Read (a regular file of bounded size). Tests and the
	// legacy adapter's self-check supply files from memory.
	ReadURLFile func(path string) ([]byte, error)
	// Converters turn files of older formats (a legacy .env file) into a
	// scenario before LoadFile and LoadPaths load it; nil loads every
	// file as a v1 scenario. It is the same registry `migrate` uses.
	Converters *convert.Registry
	// CheckTarget checks the settings of a target whose kind is neither
	// matomo nor sink, by asking the kind (runner/plan.CheckTarget); nil
	// leaves those settings unchecked.
	CheckTarget func(t *Target) []TargetProblem
	// DeferSecrets makes an unset variable without a default, where a
	// secret can be (token_auth, verify_token, header values, URL
	// credentials), a note ("needed by apply") instead of an error: it
	// stands for a placeholder and is listed in Source.Unset, so that
	// validate and plan check a file whose secrets only apply has. An
	// unset variable anywhere else stays an error.
	DeferSecrets bool
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Result is the outcome of loading one file.
type Result struct {
	Scenario *Scenario // nil when errors prevented decoding
	Diags    diag.List
	Source   *Source
	// Kind is the document's kind field; directory walks skip files whose
	// kind is set and is not Scenario.
	Kind string
	// Adapter names the format the file was converted from, by the first
	// converter's Name ("" for YAML); Original is then the converted
	// file's own text.
	Adapter  string
	Original *Source
}

// Valid reports whether the file loaded without errors.
func (r *Result) Valid() bool { return r.Scenario != nil && !r.Diags.HasErrors() }

// LoadFile reads and loads one scenario file.
func LoadFile(path string, opts Options) *Result {
	data, err := readLimited(path)
	if err != nil {
		return &Result{
			Diags:  diag.List{{File: path, Severity: diag.Error, Message: err.Error()}},
			Source: &Source{File: path},
		}
	}
	if version, first, ok := converted(opts.Converters, path, data); ok {
		return loadConverted(opts.Converters, version, first, path, data, opts)
	}
	return Load(path, data, opts)
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.Unwrap(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file is larger than %d MiB", MaxFileSize>>20)
	}
	return data, nil
}

// Load parses, interpolates and validates a scenario held in memory. It
// reports every problem it can find: syntax first, then the JSON Schema,
// then the semantic rules (which run only on a document the schema accepts,
// so that one mistake is not reported twice).
func Load(file string, data []byte, opts Options) *Result {
	sum := sha256.Sum256(data)
	src := &Source{File: file, Bytes: data, Digest: "sha256:" + hex.EncodeToString(sum[:])}
	res := &Result{Source: src}
	defer func() {
		res.Diags = res.Diags.Redact(src.Secrets)
		res.Diags.Sort()
		// Renderers quote source lines: a token written in the file must
		// not reach the terminal that way either.
		src.Bytes = redactSource(src.Bytes, src.Secrets)
	}()

	if d := checkTabs(file, data); len(d) > 0 {
		res.Diags = d
		return res
	}
	root, diags := parseDocument(file, data)
	if root == nil {
		res.Diags = diags
		return res
	}
	res.Diags = append(res.Diags, checkDuplicateKeys(file, root)...)
	res.Kind = kindOf(root)

	lookup := opts.Lookup
	if lookup == nil {
		lookup = os.LookupEnv
	}
	ip := &interpolation{lookup: lookup, file: file, data: data, deferSecrets: opts.DeferSecrets}
	ip.expandNode(root)
	res.Diags = append(res.Diags, ip.diags...)
	src.Secrets = ip.secrets
	src.Unset = ip.unset
	for _, u := range ip.unset {
		// The placeholder is shown as a secret is, [redacted].
		src.Secrets = append(src.Secrets, placeholderPrefix+u.Name)
	}

	doc, ix, ok := buildIndex(root)
	src.Index = ix
	src.Secrets = append(src.Secrets, targetSecrets(doc)...)
	if !ok {
		res.Diags = append(res.Diags, diag.Diagnostic{File: file, Line: 1, Column: 1, Severity: diag.Error,
			Message: "document is too large or too deeply nested once aliases are expanded"})
		return res
	}
	for _, v := range schema.ValidateScenario(doc) {
		if ip.failed[ix.Node(v.Pointer)] {
			continue // the interpolation error says it already
		}
		res.Diags = append(res.Diags, violationDiag(src, v))
	}
	if res.Diags.HasErrors() {
		return res
	}

	var s Scenario
	if err := root.Decode(&s); err != nil {
		// The schema should have caught this; say so rather than guess.
		res.Diags = append(res.Diags, diag.Diagnostic{File: file, Line: 1, Column: 1, Severity: diag.Error,
			Message: "cannot decode scenario: " + err.Error()})
		return res
	}
	s.Source = src
	res.Diags = append(res.Diags, Check(&s, opts)...)
	res.Scenario = &s
	return res
}

// redactSource returns data with its secrets masked (same length, so that
// carets stay under the right column), or data itself when it holds none.
func redactSource(data []byte, secrets []string) []byte {
	return diag.MaskSecrets(data, secrets)
}

// parseDocument parses exactly one YAML document whose root is a mapping.
func parseDocument(file string, data []byte) (*yaml.Node, diag.List) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	empty := diag.List{{File: file, Line: 1, Column: 1, Severity: diag.Error, Message: "file is empty",
		Hint: "a scenario starts with apiVersion: trafficinator/v1 and kind: Scenario"}}
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, empty
		}
		return nil, diag.List{syntaxError(file, data, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		// A document node's line is that of its "---" marker.
		return nil, diag.List{{File: file, Line: max(extra.Line, 1), Column: 1, Severity: diag.Error,
			Message: "more than one YAML document: a scenario file holds exactly one"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, diag.List{syntaxError(file, data, err)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Style == 0 && root.ShortTag() == "!!null" && root.Value == "" {
		// "---" and nothing else: yaml.v3 places the empty value past the
		// end of the file.
		return nil, empty
	}
	if root.Kind != yaml.MappingNode {
		return nil, diag.List{{File: file, Line: root.Line, Column: root.Column, Severity: diag.Error,
			Message: "a scenario must be a mapping (key: value pairs) at the top level"}}
	}
	return root, nil
}

func kindOf(root *yaml.Node) string {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "kind" && root.Content[i+1].Kind == yaml.ScalarNode {
			return root.Content[i+1].Value
		}
	}
	return ""
}

// targetSecrets collects every target's token_auth and verify_token, and the credentials of
// its URLs (https://user:pass@host/), so that they are redacted even when
// they were written in the file rather than read from the environment.
func targetSecrets(doc any) []string {
	m, _ := doc.(map[string]any)
	targets, _ := m["targets"].([]any)
	var out []string
	for _, t := range targets {
		tm, _ := t.(map[string]any)
		for _, field := range []string{"token_auth", "verify_token"} {
			if tok, ok := tm[field].(string); ok && tok != "" {
				out = append(out, tok)
			}
		}
		for _, field := range []string{"url", "api_url", "site_url"} {
			raw, _ := tm[field].(string)
			if userinfo, password := diag.URLCredentials(raw); userinfo != "" {
				out = append(out, userinfo)
				if password != "" {
					out = append(out, password)
				}
			}
		}
	}
	return out
}

// violationDiag places a schema violation: an unknown field at its key, a
// missing field at the key of the mapping that lacks it, anything else at
// the offending value.
func violationDiag(src *Source, v schema.Violation) diag.Diagnostic {
	d := diag.Diagnostic{File: src.File, Severity: diag.Error, Path: v.Pointer, Message: v.Message}
	switch v.Kind {
	case schema.KindUnknownField:
		d.Path = v.Pointer + "/" + escapePointer(v.Field)
		d = d.At(src.Pos(d.Path, true))
		if v.Suggest != "" {
			d.Hint = fmt.Sprintf("did you mean %q?", v.Suggest)
		}
	case schema.KindRequired:
		d = d.At(src.Pos(v.Pointer, true))
	default:
		d = d.At(src.Pos(v.Pointer, false))
		d.Hint = schemaHint(v)
	}
	if d.Path == "" {
		d.Path = "/"
	}
	return d
}
