package targets

import (
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

// What Matomo knows about the world, shared by the generator (which draws
// visitors' addresses) and the built-in sink (which looks them up), so
// that a visit lands in the country it was drawn for.

// Country is one row of the country table: an ISO code, its default share
// of visitors, its main timezone and its address blocks.
type Country = matomodata.Country

// Countries returns the country table.
func Countries() []Country { return matomodata.Countries() }

// CountryOf returns the country of ip, as the sink (and a GeoIP database)
// would; ok is false outside the table.
func CountryOf(ip netip.Addr) (country string, ok bool) { return matomodata.Lookup(ip) }

// RandomCountry draws a country by the table's shares.
func RandomCountry(r *rand.Rand) string { return matomodata.RandomCountry(r) }

// RandomIP draws an address of country (the zero Addr for an unknown one).
func RandomIP(country string, r *rand.Rand) netip.Addr { return matomodata.RandomIP(country, r) }

// ReferrerCategory is the category Matomo gives a referrer URL by its own
// lists (SearchEngines.yml and Socials.yml, embedded).
type ReferrerCategory = matomodata.RefKind

// Referrer categories of a URL with a host.
const (
	ReferrerNone    = matomodata.RefNone    // no host: direct
	ReferrerSearch  = matomodata.RefSearch  // "Search Engines"
	ReferrerSocial  = matomodata.RefSocial  // "Social Networks"
	ReferrerWebsite = matomodata.RefWebsite // "Websites"
)

// ReferrerClass is how Matomo attributes a referrer URL: its category, the
// search engine or network's name and the search keyword.
type ReferrerClass = matomodata.Referrer

// ClassifyReferrer attributes refURL as Matomo's tracker does, so that
// the generator can prove every referrer it draws lands where intended.
func ClassifyReferrer(refURL string) ReferrerClass { return matomodata.ClassifyReferrer(refURL) }

// SearchEngineParams returns the keyword parameters SearchEngines.yml
// names for the search engine of host (nil when host is none).
func SearchEngineParams(host string) []string { return matomodata.SearchEngineParams(host) }

// Zone returns the main timezone of a country (nil for an unknown code):
// the clock its visitors' local time (h, m, s) shows.
func Zone(country string) *time.Location { return matomodata.Zone(country) }

// IsBotIP reports whether Matomo drops a hit from ip as a bot; the table
// never draws such an address.
func IsBotIP(ip netip.Addr) bool { return matomodata.IsBotIP(ip) }
