package schema

import (
	_ "embed"
	"sync"
)

//go:embed plan.v1.json
var planV1 []byte

// PlanV1ID is the $id of the plan schema.
const PlanV1ID = "https://trafficinator.dev/schema/plan.v1.json"

// PlanV1 returns the JSON Schema of plan documents (apiVersion
// trafficinator/v1, kind Plan), as written by plan --out and read by
// apply --plan.
func PlanV1() []byte { return planV1 }

var (
	planOnce sync.Once
	planV1C  compiled
)

func planSchema() *compiled {
	planOnce.Do(func() {
		planV1C = compileSchema(PlanV1ID, planV1)
	})
	return &planV1C
}

// ValidatePlan checks a JSON-compatible document against plan schema v1
// and returns every violation, sorted as ValidateScenario sorts them; nil
// for a valid plan. It never panics.
func ValidatePlan(doc any) []Violation {
	return validate(planSchema(), "plan", doc, internalPlanErrorMessage)
}

// internalPlanErrorMessage is reported when validating a plan fails.
const internalPlanErrorMessage = "internal error while validating the plan"
