package sink

import (
	"bytes"
	"net/url"
	"sync"

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

// campaignParams in the page URL's query make a visit a campaign visit
// when one has a value: Matomo's default campaign_var_name
// (config/global.ini.php), which reads Matomo's, Piwik's and Google's
// (utm_) parameters.
var campaignParams = []string{
	"pk_cpn", "pk_campaign", "piwik_campaign", "mtm_campaign", "matomo_campaign",
	"utm_campaign", "utm_source", "utm_medium",
}

// classifyReferrer attributes a visit from its first hit's page URL and
// referrer URL (both decoded) and whether it has a non-blank _rcn (the
// tracker's campaign parameter), in Matomo's order: a campaign, else direct
// (no referrer, or the site's own host), else the referrer's category by
// Matomo's lists (matomodata.ClassifyReferrer). host is the referrer host
// without "www." for search, social and referral visits.
func classifyReferrer(pageURL, refURL []byte, rcn bool) (kind refKind, host []byte) {
	if rcn || isCampaign(pageURL) {
		return refCampaign, nil
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
	switch refCategory(refURL) {
	case matomodata.RefSearch:
		return refSearch, host
	case matomodata.RefSocial:
		return refSocial, host
	}
	return refReferral, host
}

// refCache remembers the category of the referrer URLs seen: a run draws
// from a few dozen, and Matomo's rules take microseconds per URL. It
// stops growing at refCacheMax URLs (arbitrary traffic has endless ones).
var refCache struct {
	sync.RWMutex
	m map[string]matomodata.RefKind
}

const refCacheMax = 4096

func refCategory(refURL []byte) matomodata.RefKind {
	refCache.RLock()
	k, ok := refCache.m[string(refURL)]
	refCache.RUnlock()
	if ok {
		return k
	}
	k = matomodata.ClassifyReferrer(string(refURL)).Kind
	refCache.Lock()
	if refCache.m == nil {
		refCache.m = make(map[string]matomodata.RefKind)
	}
	if len(refCache.m) < refCacheMax {
		refCache.m[string(refURL)] = k
	}
	refCache.Unlock()
	return k
}

// isCampaign: the page URL's query (or a query-like fragment, which
// Matomo reads too) has a campaign parameter with a non-blank value.
func isCampaign(pageURL []byte) bool {
	q := bytes.IndexByte(pageURL, '?')
	h := bytes.IndexByte(pageURL, '#')
	var parts [][]byte
	switch {
	case q >= 0 && (h < 0 || q < h):
		if h > q {
			parts = append(parts, pageURL[q+1:h], pageURL[h+1:])
		} else {
			parts = append(parts, pageURL[q+1:])
		}
	case h >= 0:
		parts = append(parts, pageURL[h+1:])
	}
	for _, part := range parts {
		for len(part) > 0 {
			pair := part
			if amp := bytes.IndexByte(part, '&'); amp >= 0 {
				pair, part = part[:amp], part[amp+1:]
			} else {
				part = nil
			}
			k, v, _ := bytes.Cut(pair, []byte("="))
			if len(v) == 0 || !isCampaignParam(k) {
				continue
			}
			if s, err := url.QueryUnescape(string(v)); err != nil || len(bytes.TrimSpace([]byte(s))) > 0 {
				return true
			}
		}
	}
	return false
}

func isCampaignParam(k []byte) bool {
	for _, c := range campaignParams {
		if string(k) == c {
			return true
		}
	}
	return false
}

// urlHost returns the host of an absolute URL, or nil.
func urlHost(u []byte) []byte {
	i := bytes.Index(u, []byte("://"))
	if i <= 0 {
		return nil
	}
	return hostOf(u[i+3:])
}
