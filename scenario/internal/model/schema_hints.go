package model

import (
	"regexp"

	"github.com/trafficinator/trafficinator/schema"
)

// schemaHints add the advice of a semantic rule to the schema violation
// that now reports the same mistake first (the schema carries every bound
// that validate enforces, so that editors underline it; issue 16).
var schemaHints = []struct {
	kind    schema.Kind
	pointer *regexp.Regexp
	hint    string
}{
	{schema.KindRange, regexp.MustCompile(`^/targets/\d+/weight$`), "to stop sending to a target, set enabled: false"},
}

func schemaHint(v schema.Violation) string {
	for _, h := range schemaHints {
		if h.kind == v.Kind && h.pointer.MatchString(v.Pointer) {
			return h.hint
		}
	}
	return ""
}
