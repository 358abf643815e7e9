package matomodata

import (
	"embed"
	"strings"
)

// Matomo's own referrer lists (SearchEngines.yml and Socials.yml of
// matomo/searchengine-and-social-list, as Matomo 5.0.2 ships them; CC0,
// see referrers/README.md), embedded so that the sink classifies a
// referrer exactly as Matomo does and the generator can prove that every
// referrer it draws lands in its intended category.
//
//go:embed referrers/SearchEngines.yml referrers/Socials.yml
var referrerLists embed.FS

// RefKind is the category Matomo gives a referrer URL.
type RefKind uint8

// Referrer categories of a URL with a host. Direct and campaign visits
// depend on the page URL, not on the referrer: the sink decides them.
const (
	RefNone    RefKind = iota // no host: Matomo cannot attribute it (direct)
	RefSearch                 // "Search Engines"
	RefSocial                 // "Social Networks"
	RefWebsite                // "Websites": a host in neither list
)

var refKindNames = [...]string{"none", "search", "social", "website"}

func (k RefKind) String() string {
	if int(k) < len(refKindNames) {
		return refKindNames[k]
	}
	return "unknown"
}

// Referrer is how Matomo attributes a referrer URL.
type Referrer struct {
	Kind RefKind
	Host string // the URL's host, lower case
	// Name is the search engine or social network, as the list names it.
	Name string
	// Keyword is the search keyword (lower case); "" for a search engine
	// means "Keyword not defined".
	Keyword string
}

// ClassifyReferrer attributes refURL as Matomo's tracker does (plugins/
// Referrers/Columns/Base.php): a search engine when SearchEngines.yml
// knows the host (and path) and a keyword, or an allowed empty one, is
// found; else a social network when Socials.yml matches; else a website.
// Internal referrers (the site's own host) are the caller's business.
func ClassifyReferrer(refURL string) Referrer {
	u := parseURL(refURL)
	if u.host == "" {
		return Referrer{}
	}
	if name, kw, ok := searchEngine(refURL, u); ok {
		return Referrer{Kind: RefSearch, Host: u.host, Name: name, Keyword: kw}
	}
	if name, ok := socialNetwork(refURL); ok {
		return Referrer{Kind: RefSocial, Host: u.host, Name: name}
	}
	return Referrer{Kind: RefWebsite, Host: u.host}
}

// parsedURL holds the parts of a URL that PHP's parse_url gives Matomo.
type parsedURL struct {
	host, path, query, fragment string
}

// parseURL splits an absolute URL like PHP's parse_url: the host without
// user info and port, the path, the query without "?" and the fragment
// without "#". A URL without "://" has no host.
func parseURL(s string) parsedURL {
	var u parsedURL
	i := strings.Index(s, "://")
	if i <= 0 {
		return u
	}
	rest := s[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host := rest[:end]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	if c := strings.LastIndexByte(host, ':'); c >= 0 && !strings.Contains(host[c:], "]") {
		host = host[:c]
	}
	u.host = strings.ToLower(host)
	rest = rest[end:]
	if h := strings.IndexByte(rest, '#'); h >= 0 {
		u.fragment, rest = rest[h+1:], rest[:h]
	}
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		u.query, rest = rest[q+1:], rest[:q]
	}
	u.path = rest
	return u
}
