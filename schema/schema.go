// Package schema embeds the JSON Schemas of Trafficinator's files and
// validates documents against them.
package schema

import _ "embed"

//go:embed scenario.v1.json
var scenarioV1 []byte

// ScenarioV1 returns the JSON Schema of scenario files (apiVersion trafficinator/v1).
func ScenarioV1() []byte { return scenarioV1 }
