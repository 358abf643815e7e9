package schema

import (
	_ "embed"
	"sync"
)

//go:embed report.v3.json
var reportV3 []byte

// ReportV3ID is the $id of the run report schema.
const ReportV3ID = "https://trafficinator.dev/schema/report.v3.json"

// ReportV3 returns the JSON Schema of run reports (version
// trafficinator.report/v3), as written by apply --out. It describes v2
// reports too, which are read as input: v3 only adds fields.
func ReportV3() []byte { return reportV3 }

var (
	reportOnce sync.Once
	reportV3C  compiled
)

func reportSchema() *compiled {
	reportOnce.Do(func() {
		reportV3C = compileSchema(ReportV3ID, reportV3)
	})
	return &reportV3C
}

// ValidateReport checks a JSON-compatible document (as decoded by
// jsonschema.UnmarshalJSON or encoding/json) against report schema v3 and
// returns every violation, sorted as ValidateScenario sorts them; nil for
// a valid report. It never panics.
func ValidateReport(doc any) []Violation {
	return validate(reportSchema(), "report", doc, internalReportErrorMessage)
}

// internalReportErrorMessage is reported when validating a report fails.
const internalReportErrorMessage = "internal error while validating the report"
