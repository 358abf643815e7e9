package report

import "github.com/trafficinator/trafficinator/runner/internal/plan"

// PolicyDef is a policy as the scenario defines it. The report keeps the
// definitions, not only the firings, so that merged figures can be judged
// again and JUnit output can list the policies that did not fire.
type PolicyDef struct {
	Name    string        `json:"name"`
	Scope   string        `json:"scope"`             // run | target
	Targets []string      `json:"targets,omitempty"` // scope target: empty means every target
	When    string        `json:"when"`
	For     plan.Duration `json:"for"`
	Action  string        `json:"action"`
	Line    int           `json:"line"` // in the scenario file
}

// DefinedPolicies lists a plan's policies for the report (never nil).
func DefinedPolicies(ps []plan.Policy) []PolicyDef {
	out := make([]PolicyDef, 0, len(ps))
	for _, p := range ps {
		out = append(out, PolicyDef{
			Name: p.Name, Scope: p.Scope, Targets: p.Targets, When: p.When,
			For: p.For, Action: p.Action, Line: p.Line,
		})
	}
	return out
}
