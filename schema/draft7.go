package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Draft-07 variant of the scenario schema, for editors.
//
// The YAML language server (VS Code, and the JetBrains IDEs through their
// own engine) warns that draft 2020-12 is "not yet fully supported" and
// skips checks it does not know. The canonical schema stays 2020-12 (the
// CLI validates with it); this file derives, programmatically, a draft-07
// document that reaches the same verdict on every scenario. A test
// compares the verdicts of both over the valid and invalid corpora, and
// another keeps the checked-in scenario.v1.draft-07.json up to date.

// Draft7URI is the $schema of draft-07 documents.
const Draft7URI = "http://json-schema.org/draft-07/schema#"

// ScenarioV1Draft7ID is the $id of the draft-07 variant.
const ScenarioV1Draft7ID = "https://trafficinator.dev/schema/scenario.v1.draft-07.json"

// ScenarioV1Draft7File is the name of the checked-in draft-07 variant in
// the repository's schema/ folder, which modelines point at.
const ScenarioV1Draft7File = "scenario.v1.draft-07.json"

var draft7Once = sync.OnceValues(func() ([]byte, error) {
	return ToDraft7(scenarioV1, ScenarioV1Draft7ID)
})

// ScenarioV1Draft7 returns the scenario schema rewritten for JSON Schema
// draft-07 (trafficinator schema --draft 7).
func ScenarioV1Draft7() []byte {
	b, err := draft7Once()
	if err != nil {
		// The embedded schema is fixed at build time and tested.
		panic("schema: the scenario schema has no draft-07 form: " + err.Error())
	}
	return b
}

// ToDraft7 rewrites a draft 2020-12 schema as draft-07 with the given $id:
// $defs become definitions (and every $ref follows), prefixItems become
// items with additionalItems, dependentRequired and dependentSchemas
// become dependencies, unevaluatedProperties becomes additionalProperties
// where no subschema could evaluate a property, and a $ref with sibling
// keywords moves into an allOf (draft-07 ignores a $ref's siblings). A
// keyword draft-07 cannot express is an error, never silently dropped.
func ToDraft7(doc []byte, id string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // keep bounds exactly as written
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	if s, _ := root["$schema"].(string); s != "https://json-schema.org/draft/2020-12/schema" {
		return nil, fmt.Errorf("$schema is %q, want draft 2020-12", s)
	}
	out, err := draft7Schema(root, "")
	if err != nil {
		return nil, err
	}
	m := out.(map[string]any)
	m["$schema"] = Draft7URI
	if id != "" {
		m["$id"] = id
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Keywords whose value is one subschema, a list of them, or a map of them.
var (
	oneSchemaKeys  = []string{"additionalProperties", "items", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedProperties", "additionalItems"}
	listSchemaKeys = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
	mapSchemaKeys  = []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
	// Keywords draft-07 has no way to say.
	unsupported = []string{"$dynamicRef", "$dynamicAnchor", "$anchor", "$recursiveRef", "unevaluatedItems", "minContains", "maxContains"}
)

// annotations are keywords that do not validate: they may stay beside a $ref.
var annotations = map[string]bool{"$ref": true, "description": true, "title": true, "default": true, "examples": true, "$comment": true, "deprecated": true, "readOnly": true, "writeOnly": true}

func draft7Schema(v any, ptr string) (any, error) {
	s, ok := v.(map[string]any)
	if !ok {
		return v, nil // true / false schemas
	}
	for _, k := range unsupported {
		if _, ok := s[k]; ok {
			return nil, fmt.Errorf("%s/%s: draft-07 has no %s", ptr, k, k)
		}
	}
	out := make(map[string]any, len(s))
	for k, val := range s {
		out[k] = val
	}
	var err error
	for _, k := range oneSchemaKeys {
		if sub, ok := out[k]; ok {
			if out[k], err = draft7Schema(sub, ptr+"/"+k); err != nil {
				return nil, err
			}
		}
	}
	for _, k := range listSchemaKeys {
		if list, ok := out[k].([]any); ok {
			conv := make([]any, len(list))
			for i, sub := range list {
				if conv[i], err = draft7Schema(sub, fmt.Sprintf("%s/%s/%d", ptr, k, i)); err != nil {
					return nil, err
				}
			}
			out[k] = conv
		}
	}
	for _, k := range mapSchemaKeys {
		if m, ok := out[k].(map[string]any); ok {
			conv := make(map[string]any, len(m))
			for name, sub := range m {
				if conv[name], err = draft7Schema(sub, ptr+"/"+k+"/"+name); err != nil {
					return nil, err
				}
			}
			out[k] = conv
		}
	}
	if defs, ok := out["$defs"]; ok {
		delete(out, "$defs")
		out["definitions"] = defs
	}
	if prefix, ok := out["prefixItems"]; ok {
		delete(out, "prefixItems")
		if rest, ok := out["items"]; ok {
			out["additionalItems"] = rest
		}
		out["items"] = prefix
	}
	if err := mergeDependencies(out, ptr); err != nil {
		return nil, err
	}
	if u, ok := out["unevaluatedProperties"]; ok {
		for _, k := range []string{"allOf", "anyOf", "oneOf", "if", "$ref", "dependentSchemas", "dependencies"} {
			if _, ok := out[k]; ok {
				return nil, fmt.Errorf("%s: unevaluatedProperties beside %s has no draft-07 form", ptr, k)
			}
		}
		if _, ok := out["additionalProperties"]; ok {
			return nil, fmt.Errorf("%s: both unevaluatedProperties and additionalProperties", ptr)
		}
		delete(out, "unevaluatedProperties")
		out["additionalProperties"] = u
	}
	if ref, ok := out["$ref"].(string); ok {
		if strings.HasPrefix(ref, "#/$defs/") {
			ref = "#/definitions/" + strings.TrimPrefix(ref, "#/$defs/")
		}
		out["$ref"] = ref
		validating := false
		for k := range out {
			if !annotations[k] {
				validating = true
			}
		}
		if validating {
			delete(out, "$ref")
			all, _ := out["allOf"].([]any)
			out["allOf"] = append([]any{map[string]any{"$ref": ref}}, all...)
		}
	}
	return out, nil
}

// mergeDependencies folds dependentRequired and dependentSchemas into the
// draft-07 dependencies keyword.
func mergeDependencies(out map[string]any, ptr string) error {
	req, hasReq := out["dependentRequired"].(map[string]any)
	sch, hasSch := out["dependentSchemas"].(map[string]any)
	if !hasReq && !hasSch {
		return nil
	}
	deps := map[string]any{}
	for k, v := range req {
		deps[k] = v
	}
	for k, v := range sch {
		if _, dup := deps[k]; dup {
			return fmt.Errorf("%s: %q is in both dependentRequired and dependentSchemas", ptr, k)
		}
		deps[k] = v
	}
	delete(out, "dependentRequired")
	delete(out, "dependentSchemas")
	out["dependencies"] = deps
	return nil
}
