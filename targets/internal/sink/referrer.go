package sink

import (
	"bytes"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

// refKind is how Matomo attributes a visit.
type refKind uint8

const (
	refDirect refKind = iota
	refSearch
	refSocial
	refReferral
	refCampaign
	numRefKinds
)

var refNames = [numRefKinds]string{"direct", "search", "social", "referral", "campaign"}

// campaignParams in the page URL make a visit a campaign visit, as in
// Matomo (which also reads pk_ and utm_ parameters).
var campaignParams = [][]byte{
	[]byte("mtm_campaign="), []byte("pk_campaign="), []byte("utm_campaign="),
	[]byte("_rcn="), []byte("matomo_campaign="), []byte("piwik_campaign="),
}

// classifyReferrer attributes a visit from its first hit's page URL and
// referrer URL (both decoded). host is the referrer host without "www."
// for search, social and referral visits.
func classifyReferrer(pageURL, refURL []byte) (kind refKind, host []byte) {
	if q := bytes.IndexByte(pageURL, '?'); q >= 0 {
		query := pageURL[q:]
		for _, c := range campaignParams {
			if i := bytes.Index(query, c); i > 0 && (query[i-1] == '?' || query[i-1] == '&') {
				return refCampaign, nil
			}
		}
	}
	if len(refURL) == 0 {
		return refDirect, nil
	}
	rh := urlHost(refURL)
	if len(rh) == 0 {
		return refDirect, nil // not a URL: Matomo cannot attribute it either
	}
	if ph := urlHost(pageURL); bytes.EqualFold(rh, ph) {
		return refDirect, nil // an internal referrer starts no new attribution
	}
	host = bytes.TrimPrefix(rh, []byte("www."))
	switch {
	case matomodata.IsSearchEngine(host):
		return refSearch, host
	case matomodata.IsSocialNetwork(host):
		return refSocial, host
	}
	return refReferral, host
}

// urlHost returns the host of an absolute URL, or nil.
func urlHost(u []byte) []byte {
	i := bytes.Index(u, []byte("://"))
	if i <= 0 {
		return nil
	}
	return hostOf(u[i+3:])
}
