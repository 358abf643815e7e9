// Package loadtest holds what the runner's end-to-end tests and benchmarks
// share: a sink on a loopback httptest server that records every hit it
// accepts and checks how each request carried its token, the sink's
// fault injection under short names (faults.go), a scenario
// compiler for YAML written inline, and helpers that group hits into
// visits. It is imported by tests only; nothing in the product uses it.
package loadtest
