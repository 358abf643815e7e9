package matomo

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
)

// headerSets shares one read-only header map per content type and
// User-Agent between requests. The transport only reads a request's
// header, and a run sends its visitors' handful of user agents thousands
// of times a second: a map per request was a tenth of the client's
// allocations. Past maxHeaderSets distinct agents (a scenario with
// generated agents), further ones get a map of their own per request.
type headerSets struct {
	base  http.Header // configured headers, and Authorization from the URL
	sets  sync.Map    // headerKey -> http.Header
	count atomic.Int32
}

type headerKey struct{ contentType, ua string }

const maxHeaderSets = 4096

// get returns the header of a request; the caller must not modify it.
func (s *headerSets) get(contentType, ua string) http.Header {
	k := headerKey{contentType, ua}
	if h, ok := s.sets.Load(k); ok {
		return h.(http.Header)
	}
	h := s.build(contentType, ua)
	if s.count.Load() < maxHeaderSets {
		if _, loaded := s.sets.LoadOrStore(k, h); !loaded {
			s.count.Add(1)
		}
	}
	return h
}

// build makes the header of a request: the configured headers, the
// content type, and ua, which overrides any configured User-Agent.
func (s *headerSets) build(contentType, ua string) http.Header {
	h := make(http.Header, len(s.base)+2)
	for k, v := range s.base {
		h[k] = v
	}
	h["Content-Type"] = []string{contentType}
	if ua != "" {
		h["User-Agent"] = []string{ua}
	} else if len(h["User-Agent"]) == 0 {
		// Go's default agent is classified as a bot by Matomo and excluded.
		h["User-Agent"] = defaultUA
	}
	return h
}

var defaultUA = []string{"Trafficinator"}

// basicAuth is the Authorization header for credentials in an endpoint's
// URL, as http.Client would add it ("" without credentials). The client
// hands requests to the transport itself, which does not.
func basicAuth(u *url.URL) string {
	if u.User == nil {
		return ""
	}
	pw, _ := u.User.Password()
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pw))
}
