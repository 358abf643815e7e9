// Package model is the scenario format: the Go types of a
// trafficinator/v1 file and its loading, in order: YAML parsed with
// positions (source.go, index.go), ${VAR} interpolation (interpolate.go),
// the JSON Schema (schema/), then the semantic checks (check_*.go) that
// the schema cannot express. Every finding is a diagnostic with a file,
// line and column. Package scenario is its public door.
package model
