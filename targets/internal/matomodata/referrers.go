package matomodata

import "bytes"

// searchEngines are registrable domains of search engines: the ones of the
// legacy referrer list (spec/legacy-data/referrers.tsv) and other common
// ones. "google" stands for every google.<tld>.
var searchEngines = []string{
	"google", "bing.com", "duckduckgo.com", "search.yahoo.com", "yahoo.com",
	"yandex.ru", "yandex.com", "baidu.com", "ecosia.org", "search.brave.com",
	"startpage.com", "qwant.com", "ask.com", "naver.com", "seznam.cz",
}

// socialNetworks: the legacy list's social hosts and other common ones.
var socialNetworks = []string{
	"twitter.com", "x.com", "t.co", "linkedin.com", "lnkd.in", "facebook.com",
	"fb.me", "reddit.com", "news.ycombinator.com", "medium.com", "dev.to",
	"stackoverflow.com", "github.com", "producthunt.com", "instagram.com",
	"youtube.com", "pinterest.com", "tiktok.com", "mastodon.social",
	"bsky.app", "threads.net", "vk.com", "xing.com", "tumblr.com",
}

// IsSearchEngine says whether host (without "www.") is a search engine's,
// or a subdomain of one: Matomo attributes a visit from it to "Search
// Engines".
func IsSearchEngine(host []byte) bool { return matchesDomain(host, searchEngines) }

// IsSocialNetwork says whether host (without "www.") is a social
// network's, or a subdomain of one: Matomo attributes a visit from it to
// "Social Networks".
func IsSocialNetwork(host []byte) bool { return matchesDomain(host, socialNetworks) }

// matchesDomain: host is one of domains or a subdomain of one. "google"
// matches google.<tld> and google.co.<cc>.
func matchesDomain(host []byte, domains []string) bool {
	for _, d := range domains {
		if d == "google" {
			if isGoogle(host) {
				return true
			}
			continue
		}
		if equalFold(host, d) {
			return true
		}
		if len(host) > len(d) && host[len(host)-len(d)-1] == '.' &&
			equalFold(host[len(host)-len(d):], d) {
			return true
		}
	}
	return false
}

// isGoogle: the host is google.<tld>, google.co.<cc> or google.com.<cc>,
// or a subdomain of one (www. is already gone).
func isGoogle(host []byte) bool {
	for start := 0; start < len(host); {
		end := bytes.IndexByte(host[start:], '.')
		if end < 0 {
			return false
		}
		label, rest := host[start:start+end], host[start+end+1:]
		if equalFold(label, "google") {
			dot := bytes.IndexByte(rest, '.')
			if dot < 0 {
				return len(rest) > 0
			}
			second := rest[:dot]
			return (equalFold(second, "co") || equalFold(second, "com")) &&
				len(rest) > dot+1 && bytes.IndexByte(rest[dot+1:], '.') < 0
		}
		start += end + 1
	}
	return false
}

// equalFold compares ASCII case-insensitively without converting b.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
