// Package metrics keeps the figures of a run: counters and latency
// histograms per target, in a form that merges exactly (sums and HDR
// histogram merges), apart from any reporter that shows them. Hits are
// counted by their kind.HitKind (targets/kind).
package metrics
