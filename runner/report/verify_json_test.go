package report_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/schema"
)

// A verified report writes the verification section as the schema says,
// and reads back the same.
func TestVerificationJSONFollowsTheSchema(t *testing.T) {
	r := reportFrom("r1", digestA, t0, time.Second, named{"a", newRec()}, named{"b", newRec()})
	one, q := 1.0, 0.98
	r.Targets[0].Verification = &report.Verification{Status: report.VerifyMismatch, SiteTimezone: "UTC", Days: []string{"2026-03-01"},
		Rows: []report.VerifyRow{
			{Figure: "visits", Day: "2026-03-01", Expected: 100, Recorded: 98, Ratio: &q},
			{Figure: "visits", Expected: 100, Recorded: 98, Ratio: &q},
			{Figure: "referrer_types.social", Expected: 0, Recorded: 2},
			{Figure: "orders", Expected: 0, Recorded: 0, Ratio: &one},
		},
		SampleChecked: 2, SampleMismatches: []report.SampleMismatch{{VisitorID: "00000000000000aa", Difference: "split into 2 visits"}}}
	r.Targets[1].Verification = &report.Verification{Status: report.VerifySkipped, Reason: "no token"}
	r.Verification = &report.VerificationSummary{Status: report.VerifyMismatch, Targets: map[string]int{"mismatch": 1, "skipped": 1}}
	data := encode(t, r)
	out := string(data)
	for _, want := range []string{`"ratio": null`, `"day": ""`, `"sample_mismatches": []`, `"rows": []`, `"status": "skipped"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if v := schema.ValidateReport(doc); len(v) != 0 {
		t.Errorf("schema violations: %+v", v)
	}
	back, err := report.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if v := back.Targets[0].Verification; v.Rows[2].Ratio != nil || *v.Rows[1].Ratio != 0.98 || v.SampleMismatches[0].Difference != "split into 2 visits" || back.Verification.Targets["skipped"] != 1 {
		t.Errorf("read back %+v", v)
	}
}
