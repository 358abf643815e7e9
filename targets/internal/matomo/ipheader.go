package matomo

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// cutCIP removes the cip parameter from an encoded query and returns the
// query without it and its value ("" when there is none). The visit model
// puts a visit's address in cip; a target with an ip_header sends it in
// that header instead, which Matomo trusts without token_auth when its
// proxy_client_headers[] names the header.
func cutCIP(query string) (rest, ip string) {
	start := 0
	for start <= len(query) {
		end := strings.IndexByte(query[start:], '&')
		if end < 0 {
			end = len(query)
		} else {
			end += start
		}
		if v, ok := strings.CutPrefix(query[start:end], "cip="); ok {
			switch {
			case start == 0 && end == len(query):
				rest = ""
			case start == 0:
				rest = query[end+1:]
			default:
				rest = query[:start-1] + query[end:]
			}
			return rest, unescapeIP(v)
		}
		start = end + 1
	}
	return query, ""
}

// unescapeIP undoes the query escaping of an address (IPv6 colons are
// sent as %3A).
func unescapeIP(v string) string {
	if u, err := url.QueryUnescape(v); err == nil {
		return u
	}
	return v
}

// withIP returns h with the header name set to ip, as a copy: h is shared
// between requests. It returns h itself without a header or an address.
func withIP(h http.Header, name, ip string) http.Header {
	if name == "" || ip == "" {
		return h
	}
	out := make(http.Header, len(h)+1)
	for k, v := range h {
		out[k] = v
	}
	out[http.CanonicalHeaderKey(name)] = []string{ip}
	return out
}

// checkIPHeader is the kind's rule for ip_header: a valid header name, and
// single hits, since one bulk request carries many visitors and a header
// only one address.
func checkIPHeader(s *kind.Settings) []kind.Problem {
	if s.IPHeader == "" {
		return nil
	}
	var out []kind.Problem
	if !validHeaderName(s.IPHeader) {
		out = append(out, kind.Problem{Field: "ip_header", Message: "ip_header is not a valid HTTP header name", Hint: "e.g. ip_header: X-Forwarded-For"})
	}
	if s.Bulk > 0 {
		out = append(out, kind.Problem{Field: "ip_header", Message: "ip_header needs bulk: 0: a bulk request carries many visitors, and the header only one address",
			Hint: "remove bulk, or send a token_auth and cip instead"})
	}
	return out
}
