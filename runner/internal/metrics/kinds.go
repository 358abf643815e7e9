// Package metrics keeps the figures of a run: counters and latency
// histograms per target, in a form that merges exactly (sums and HDR
// histogram merges), apart from any reporter that shows them.
package metrics

// Kind is the kind of a tracking hit.
type Kind uint8

// Hit kinds, in report order.
const (
	Pageview Kind = iota
	SiteSearch
	Outlink
	Download
	Event
	Order
	Ping
	NumKinds
)

var kindNames = [NumKinds]string{"pageview", "site_search", "outlink", "download", "event", "order", "ping"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "unknown"
}

// KindNames lists the kinds in report order.
func KindNames() []string { return kindNames[:] }

// ParseKind maps a name back to its kind.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}
