package loadtest

import (
	"errors"
	"fmt"
	"strings"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/scenario"
)

// Compile loads a scenario written inline and compiles it. Any error
// diagnostic fails, with all of them in the message.
func Compile(yaml string, opts plan.Options) (*plan.Plan, error) {
	res := scenario.Load("test.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }, CheckTarget: plan.CheckTarget})
	if !res.Valid() {
		var msgs []string
		for _, d := range res.Diags {
			if d.Severity == scenario.SeverityError {
				msgs = append(msgs, fmt.Sprintf("%d:%d %s: %s", d.Line, d.Column, d.Path, d.Message))
			}
		}
		return nil, errors.New("invalid scenario: " + strings.Join(msgs, "; "))
	}
	return plan.Compile(res.Scenario, opts)
}
