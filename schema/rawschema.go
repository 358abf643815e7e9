package schema

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The raw schema JSON answers what the error kinds of jsonschema leave out:
// which properties an object allows (for "did you mean") and whether an
// array length is pinned (for "exactly 24 items").

var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

// schemaAt returns the raw schema object at an absolute schema location
// such as https://trafficinator.dev/schema/scenario.v1.json#/$defs/target,
// or nil when the location is not in raw, the schema whose $id it names.
func schemaAt(raw any, loc string) map[string]any {
	base, frag, _ := strings.Cut(loc, "#")
	if root, _ := raw.(map[string]any); root == nil || root["$id"] != base {
		return nil
	}
	frag, err := url.PathUnescape(frag)
	if err != nil {
		return nil
	}
	v := raw
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = pointerUnescaper.Replace(tok)
			switch x := v.(type) {
			case map[string]any:
				v = x[tok]
			case []any:
				i := indexOf(tok, len(x))
				if i < 0 {
					return nil
				}
				v = x[i]
			default:
				return nil
			}
		}
	}
	m, _ := v.(map[string]any)
	return m
}

func indexOf(tok string, n int) int {
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || i >= n {
		return -1
	}
	return i
}

// propertyNames returns the sorted names under "properties" of a schema.
func propertyNames(s map[string]any) []string {
	props, _ := s["properties"].(map[string]any)
	return slices.Sorted(maps.Keys(props))
}

// intKeyword returns an integer keyword of a schema, or -1 if absent.
func intKeyword(s map[string]any, key string) int {
	switch v := s[key].(type) {
	case float64:
		return int(v)
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return int(i)
		}
	}
	return -1
}
