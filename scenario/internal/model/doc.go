// Package model is the scenario model and its loading: the Go types of a
// trafficinator/v1 scenario file (Scenario, Target, Traffic, Run, ...) and
// the one pipeline that turns a file into them.
//
// Loading runs in this order, and each step reports diagnostics with the
// file's own line and column:
//
//	YAML      parse exactly one document whose root is a mapping (syntax.go)
//	positions index every node by its JSON pointer (index.go, source.go)
//	${VAR}    interpolate environment references; values read from the
//	          environment are secrets and are masked in every output
//	          (interpolate.go)
//	schema    validate against the embedded JSON Schema (package schema)
//	semantics check what the schema cannot say: ranges, funnels, policies,
//	          backfill windows, targets (check*.go)
//	Scenario  the decoded value, with the positions of its parts
//
// A file of an older format (a legacy .env file) is converted first by a
// convert.Registry passed in Options.Converters, then loaded as above.
// Plan compilation (runner/plan) reads a loaded Scenario; this package
// imports nothing from runner or targets.
package model
