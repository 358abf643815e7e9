// Package targets names the target kinds. A kind is a folder of its own
// (targets/<name>) implementing targets/kind.Kind, and one line in the map
// below: the scenario schema's kind enum lists the same names
// (TestSchemaKindsAreRegistered), and nothing else names a kind.
package targets

import (
	"maps"
	"slices"

	"github.com/trafficinator/trafficinator/targets/internal/file"
	"github.com/trafficinator/trafficinator/targets/internal/matomo"
	"github.com/trafficinator/trafficinator/targets/internal/sink"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// kinds maps a scenario's targets[].kind to its kind, like k6's output
// constructors: one line per kind.
var kinds = map[string]kind.Kind{
	"matomo": matomo.Kind{},
	"sink":   sink.Kind{},
	"file":   file.Kind{},
}

// Lookup returns the kind called name.
func Lookup(name string) (kind.Kind, bool) {
	k, ok := kinds[name]
	return k, ok
}

// Names lists the registered kinds, sorted.
func Names() []string { return slices.Sorted(maps.Keys(kinds)) }
