package schema

import (
	_ "embed"
	"sync"
)

//go:embed report.v1.json
var reportV1 []byte

// ReportV1ID is the $id of the run report schema.
const ReportV1ID = "https://trafficinator.dev/schema/report.v1.json"

// ReportV1 returns the JSON Schema of run reports (version
// trafficinator.report/v1), as written by apply --out.
func ReportV1() []byte { return reportV1 }

var (
	reportOnce sync.Once
	reportV1C  compiled
)

func reportSchema() *compiled {
	reportOnce.Do(func() {
		reportV1C = compileSchema(ReportV1ID, reportV1)
	})
	return &reportV1C
}

// ValidateReport checks a JSON-compatible document (as decoded by
// jsonschema.UnmarshalJSON or encoding/json) against report schema v1 and
// returns every violation, sorted as ValidateScenario sorts them; nil for
// a valid report. It never panics.
func ValidateReport(doc any) []Violation {
	return validate(reportSchema(), "report", doc, internalReportErrorMessage)
}

// internalReportErrorMessage is reported when validating a report fails.
const internalReportErrorMessage = "internal error while validating the report"
