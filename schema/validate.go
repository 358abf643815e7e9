package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ScenarioV1ID is the $id of the scenario schema, also the URL editors use.
const ScenarioV1ID = "https://trafficinator.dev/schema/scenario.v1.json"

// Kind classifies a schema violation so that callers can choose wording,
// positions (value or key) and hints without parsing messages.
type Kind string

// The kinds of Violation. "length" covers string length and the number of
// properties of an object; "items" covers array length and uniqueness.
const (
	KindType         Kind = "type"
	KindEnum         Kind = "enum"
	KindConst        Kind = "const"
	KindRange        Kind = "range"
	KindRequired     Kind = "required"
	KindUnknownField Kind = "unknown-field"
	KindPattern      Kind = "pattern"
	KindFormat       Kind = "format"
	KindLength       Kind = "length"
	KindItems        Kind = "items"
	KindOther        Kind = "other"
)

// Violation is one way in which a document breaks a schema.
type Violation struct {
	// Pointer is the JSON pointer of the offending value ("" for the root),
	// e.g. /targets/0/weight. For required and unknown-field it is the
	// object that lacks or has the property; Field names the property, so
	// the property itself is at Pointer + "/" + escaped Field.
	Pointer string
	Kind    Kind
	// Field is the missing property (required) or the unknown one
	// (unknown-field); empty for other kinds.
	Field string
	// Message is short and human, never contains the pointer, and never
	// quotes a value that could be a secret (see safeValue).
	Message string
	// Suggest is, for unknown-field only, the closest allowed property name
	// ("did you mean"), or "" when none is close enough (see suggest).
	Suggest string
}

// compiled holds the schema compiled once per process, plus its raw JSON for
// looking up the allowed properties and limits at an error's schema location.
type compiled struct {
	schema *jsonschema.Schema
	raw    any
	err    error
}

var (
	compileOnce sync.Once
	scenarioV1C compiled
)

func scenarioSchema() *compiled {
	compileOnce.Do(func() {
		scenarioV1C = compileSchema(ScenarioV1ID, scenarioV1)
	})
	return &scenarioV1C
}

// compileSchema compiles one embedded schema, registered under its $id.
func compileSchema(id string, src []byte) compiled {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		return compiled{err: fmt.Errorf("decode: %w", err)}
	}
	var raw any
	if err := json.Unmarshal(src, &raw); err != nil {
		return compiled{err: fmt.Errorf("decode: %w", err)}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(id, doc); err != nil {
		return compiled{err: err}
	}
	sch, err := c.Compile(id)
	if err != nil {
		return compiled{err: err}
	}
	return compiled{schema: sch, raw: raw}
}

// ValidateScenario checks a JSON-compatible document (map[string]any, []any,
// string, int64, float64, bool, nil) against scenario schema v1 and returns
// every violation, flattened, deduplicated and sorted by pointer then field.
// It returns nil for a valid document. It never panics: an internal failure
// is reported as a single violation of kind other.
func ValidateScenario(doc any) []Violation {
	return validate(scenarioSchema(), "scenario", doc, internalErrorMessage)
}

// validate checks doc against a compiled schema; what names the schema in
// internal errors, internalMsg replaces a recovered panic.
func validate(c *compiled, what string, doc any, internalMsg string) (out []Violation) {
	defer func() {
		if r := recover(); r != nil {
			// The recovered value may quote the document; never show it.
			out = []Violation{{Kind: KindOther, Message: internalMsg}}
		}
	}()
	if c.err != nil {
		return []Violation{{Kind: KindOther, Message: "internal error: the embedded " + what + " schema does not compile: " + c.err.Error()}}
	}
	err := c.schema.Validate(doc)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []Violation{{Kind: KindOther, Message: "internal error: " + err.Error()}}
	}
	conv := converter{raw: c.raw, doc: doc}
	return finish(conv.collect(verr))
}

// internalErrorMessage is reported when validation itself fails; fuzz tests
// assert that it never appears.
const internalErrorMessage = "internal error while validating the scenario"
