package schema

import (
	_ "embed"
	"sync"
)

//go:embed report.v2.json
var reportV2 []byte

// ReportV2ID is the $id of the run report schema.
const ReportV2ID = "https://trafficinator.dev/schema/report.v2.json"

// ReportV2 returns the JSON Schema of run reports (version
// trafficinator.report/v2), as written by apply --out.
func ReportV2() []byte { return reportV2 }

var (
	reportOnce sync.Once
	reportV2C  compiled
)

func reportSchema() *compiled {
	reportOnce.Do(func() {
		reportV2C = compileSchema(ReportV2ID, reportV2)
	})
	return &reportV2C
}

// ValidateReport checks a JSON-compatible document (as decoded by
// jsonschema.UnmarshalJSON or encoding/json) against report schema v2 and
// returns every violation, sorted as ValidateScenario sorts them; nil for
// a valid report. It never panics.
func ValidateReport(doc any) []Violation {
	return validate(reportSchema(), "report", doc, internalReportErrorMessage)
}

// internalReportErrorMessage is reported when validating a report fails.
const internalReportErrorMessage = "internal error while validating the report"
