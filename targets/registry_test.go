package targets_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/trafficinator/trafficinator/schema"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/internal/file"
	"github.com/trafficinator/trafficinator/targets/internal/matomo"
	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

// TestSchemaKindsAreRegistered: the scenario schema's kind enum (the
// published contract) and the registry name the same kinds, so that the
// registry line is the only place in Go that names a new kind.
func TestSchemaKindsAreRegistered(t *testing.T) {
	var doc struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema.ScenarioV1(), &doc); err != nil {
		t.Fatal(err)
	}
	enum := doc.Defs["target"].Properties["kind"].Enum
	if len(enum) == 0 {
		t.Fatal("no enum at $defs/target/properties/kind in the scenario schema")
	}
	if got := targets.Names(); !slices.Equal(got, slices.Sorted(slices.Values(enum))) {
		t.Errorf("registry names %v, schema kind enum %v", got, enum)
	}
}

func TestLookup(t *testing.T) {
	for name, want := range map[string]any{"matomo": matomo.Kind{}, "sink": sink.Kind{}, "file": file.Kind{}} {
		k, ok := targets.Lookup(name)
		if !ok || k != want {
			t.Errorf("Lookup(%q) = %T, %v; want %T", name, k, ok, want)
		}
	}
	for _, name := range []string{"", "Matomo", "ftp", "sink "} {
		if k, ok := targets.Lookup(name); ok {
			t.Errorf("Lookup(%q) = %T, want none", name, k)
		}
	}
	if got, want := targets.Names(), []string{"file", "matomo", "sink"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
}
