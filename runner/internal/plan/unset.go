package plan

import (
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/scenario"
)

// ErrUnset refuses to run a plan compiled from a scenario whose secrets
// were unset when it was loaded (scenario.Options.DeferSecrets): its
// tokens and credentials are placeholders, fit for reading, never for
// sending.
type ErrUnset struct{ Names []string }

func (e *ErrUnset) Error() string {
	return fmt.Sprintf("variables not set: %s (a plan compiled without its secrets is for review only)", strings.Join(e.Names, ", "))
}

// unsetNames lists, once each and in order, the variables of s that stand
// for placeholders.
func unsetNames(s *scenario.Scenario) []string {
	if s.Source == nil {
		return nil
	}
	var names []string
	seen := map[string]bool{}
	for _, u := range s.Source.Unset {
		if !seen[u.Name] {
			seen[u.Name] = true
			names = append(names, u.Name)
		}
	}
	return names
}

// CheckRunnable reports ErrUnset when the plan's scenario was loaded
// without some of its secrets.
func (p *Plan) CheckRunnable() error {
	if len(p.unset) > 0 {
		return &ErrUnset{Names: p.unset}
	}
	return nil
}
