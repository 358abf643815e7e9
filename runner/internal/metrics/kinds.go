// Package metrics keeps the figures of a run: counters and latency
// histograms per target, in a form that merges exactly (sums and HDR
// histogram merges), apart from any reporter that shows them.
package metrics

import "github.com/trafficinator/trafficinator/targets/kind"

// Kind is the kind of a tracking hit, defined by the target-kind contract
// (targets/kind) so that the visit model tags hits without importing
// metrics.
type Kind = kind.HitKind

// Hit kinds, in report order.
const (
	Pageview   = kind.Pageview
	SiteSearch = kind.SiteSearch
	Outlink    = kind.Outlink
	Download   = kind.Download
	Event      = kind.Event
	Order      = kind.Order
	Ping       = kind.Ping
	NumKinds   = kind.NumHitKinds
)

// KindNames lists the kinds in report order.
func KindNames() []string { return kind.HitKindNames() }

// ParseKind maps a name back to its kind.
func ParseKind(s string) (Kind, bool) { return kind.ParseHitKind(s) }
