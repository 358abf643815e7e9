package visit

import "github.com/trafficinator/trafficinator/targets/kind"

// Kind is the kind of a hit, as the target-kind contract defines it, so
// that the executor and the metrics count hits without a conversion.
type Kind = kind.HitKind

// Hit kinds.
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

// Source is where a visit comes from, as Matomo attributes it.
type Source uint8

// Sources of a visit.
const (
	Direct   Source = iota // no referrer
	Search                 // a search engine
	Social                 // a social network
	Referral               // another website
	Campaign               // a campaign: mtm_campaign and mtm_kwd in the landing URL
)

var sourceNames = [...]string{"direct", "search", "social", "referral", "campaign"}

func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}
