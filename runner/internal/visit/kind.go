package visit

import "github.com/trafficinator/trafficinator/runner/internal/metrics"

// Kind is the kind of a hit. It is the metrics kind, so that the executor
// counts hits without a conversion.
type Kind = metrics.Kind

// Hit kinds.
const (
	Pageview   = metrics.Pageview
	SiteSearch = metrics.SiteSearch
	Outlink    = metrics.Outlink
	Download   = metrics.Download
	Event      = metrics.Event
	Order      = metrics.Order
	Ping       = metrics.Ping
	NumKinds   = metrics.NumKinds
)

// Source is where a visit comes from, as Matomo attributes it.
type Source uint8

// Sources of a visit.
const (
	Direct   Source = iota // no referrer
	Search                 // a search engine
	Social                 // a social network
	Referral               // another website
)

var sourceNames = [...]string{"direct", "search", "social", "referral"}

func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}
