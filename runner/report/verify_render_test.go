package report

import (
	"bytes"
	"strings"
	"testing"
)

func ratio(v float64) *float64 { return &v }

func verifiedReport() *Report {
	r := &Report{Version: Version, Scenario: ScenarioInfo{Name: "shop"}, Run: RunInfo{Outcome: "failed", ExitCode: 1}}
	r.Targets = []Target{
		{Name: "eu", Verification: &Verification{Status: VerifyMismatch, SiteTimezone: "Europe/Paris", Days: []string{"2026-03-01", "2026-03-02"}, Baseline: true,
			Rows: []VerifyRow{
				{Figure: "visits", Day: "2026-03-01", Expected: 50, Recorded: 50, Ratio: ratio(1)},
				{Figure: "visits", Day: "2026-03-02", Expected: 50, Recorded: 48, Ratio: ratio(0.96)},
				{Figure: "visits", Expected: 100, Recorded: 98, Ratio: ratio(0.98)},
				{Figure: "orders", Expected: 3, Recorded: 3, Ratio: ratio(1)},
				{Figure: "referrer_types.social", Expected: 0, Recorded: 2},
			},
			SampleChecked:    5,
			SampleMismatches: []SampleMismatch{{VisitorID: "00000000000000aa", Difference: "split into 2 visits"}},
		}},
		{Name: "us", Verification: &Verification{Status: VerifySkipped, Reason: "target us has no verify_token and no token_auth", Rows: []VerifyRow{}}},
		{Name: "old", Verification: &Verification{Status: VerifyNotArchived, Reason: "2026-03-01: run core:archive", Rows: []VerifyRow{}}},
	}
	r.Verification = &VerificationSummary{Status: VerifyNotArchived, Targets: map[string]int{"mismatch": 1, "skipped": 1, "not_archived": 1}, SampleChecked: 5, SampleMismatches: 1,
		Rows: []VerifyRow{{Figure: "visits", Expected: 100, Recorded: 98, Ratio: ratio(0.98)}}}
	return r
}

func TestWriteVerificationTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteVerification(&buf, verifiedReport()); err != nil {
		t.Fatal(err)
	}
	want := `
Verification: NOT_ARCHIVED (1 mismatch, 1 skipped, 1 not_archived); 5 sampled visits checked, 1 recorded otherwise
┌────────┬──────────────┬─────────────────┬─────────────────┬───────┬─────────┬────────────┬─────────────────────────────────────────────────┐
│ target │    status    │ visits expected │ visits recorded │ ratio │ sampled │ mismatches │                     reason                      │
├────────┼──────────────┼─────────────────┼─────────────────┼───────┼─────────┼────────────┼─────────────────────────────────────────────────┤
│ eu     │ mismatch     │ 100             │ 98              │ 0.98  │ 5       │ 1          │                                                 │
│ us     │ skipped      │                 │                 │       │ 0       │ 0          │ target us has no verify_token and no token_auth │
│ old    │ not_archived │                 │                 │       │ 0       │ 0          │ 2026-03-01: run core:archive                    │
│ total  │ not_archived │ 100             │ 98              │ 0.98  │ 5       │ 1          │                                                 │
└────────┴──────────────┴─────────────────┴─────────────────┴───────┴─────────┴────────────┴─────────────────────────────────────────────────┘

target eu: MISMATCH (site timezone Europe/Paris; days 2026-03-01, 2026-03-02; baseline subtracted)
┌───────────────────────┬────────────┬──────────┬──────────┬───────┬─────────┐
│        figure         │    day     │ expected │ recorded │ ratio │         │
├───────────────────────┼────────────┼──────────┼──────────┼───────┼─────────┤
│ visits                │ total      │ 100      │ 98       │ 0.98  │ DIFFERS │
│ orders                │ total      │ 3        │ 3        │ 1     │         │
│ referrer_types.social │ total      │ 0        │ 2        │ –     │ DIFFERS │
│ visits                │ 2026-03-02 │ 50       │ 48       │ 0.96  │ DIFFERS │
└───────────────────────┴────────────┴──────────┴──────────┴───────┴─────────┘
  sampled visits: 5 checked, 1 recorded otherwise
    visitor 00000000000000aa: split into 2 visits
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	buf.Reset()
	if err := WriteVerification(&buf, &Report{}); err != nil || buf.Len() != 0 {
		t.Errorf("a run not verified wrote %q", buf.String())
	}
}

func TestVerificationJUnit(t *testing.T) {
	out, err := junitXML(verifiedReport())
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		`<testsuite name="shop" tests="7" failures="5" errors="0" skipped="1"`,
		`<testcase name="verification: visits" classname="shop.eu" time="0">`,
		`<failure message="visits: expected 100, recorded 98 (ratio 0.98)" type="mismatch"><![CDATA[visits: expected 100, recorded 98 (ratio 0.98)
2026-03-02: expected 50, recorded 48 (ratio 0.96)
]]></failure>`,
		`<testcase name="verification: orders" classname="shop.eu" time="0"></testcase>`,
		`<failure message="referrer_types.social: expected 0, recorded 2 (ratio –)" type="mismatch">`,
		`<failure message="1 of 5 sampled visits recorded otherwise" type="mismatch"><![CDATA[visitor 00000000000000aa: split into 2 visits
]]></failure>`,
		`<testcase name="verification" classname="shop.us" time="0">
      <skipped message="target us has no verify_token and no token_auth"></skipped>`,
		`<failure message="verification not_archived: 2026-03-01: run core:archive" type="not_archived">`,
		`with exit code 1; verification: not_archived`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JUnit lacks %s\n%s", want, s)
		}
	}
}
