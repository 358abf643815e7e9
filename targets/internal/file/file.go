// Package file is the file target kind: every hit becomes one JSON line in
// a file (url: file:PATH), so that a run can be inspected or diffed
// offline. A line holds the target's name, the visit's number, the hit's
// place in its visit, its kind, the visitor's user agent, its cdt and its
// tracking parameters in send order; never token_auth or another secret.
package file

import (
	"strings"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Scheme prefixes the path in a file target's url.
const Scheme = "file:"

// Kind is the file target kind.
type Kind struct{}

// Check implements kind.Kind: the url must be file:PATH.
func (Kind) Check(s *kind.Settings) []kind.Problem {
	if s.URL == "" {
		return []kind.Problem{{Key: true, Message: `missing required field "url"`,
			Hint: "set url: file:PATH, the file that receives one JSON line per hit"}}
	}
	if path, ok := strings.CutPrefix(s.URL.Reveal(), Scheme); !ok || path == "" {
		return []kind.Problem{{Field: "url", Message: "a kind: file target's url must be file:PATH",
			Hint: "e.g. url: file:hits.jsonl (a relative path starts at the working directory)"}}
	}
	return nil
}

// Endpoint implements kind.Kind.
func (Kind) Endpoint(s *kind.Settings) string { return s.URL.String() }

// Open implements kind.Kind. The file is created by the first hit, so
// that validate, plan and a failed preflight leave nothing behind.
func (Kind) Open(s *kind.Settings, _ kind.Env) (kind.Target, error) {
	path, _ := strings.CutPrefix(s.URL.Reveal(), Scheme)
	return &Target{enc: encoder{target: s.Name}, path: path, token: s.Token != ""}, nil
}
