package verify

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestReadBaselineRealtimeDays(t *testing.T) {
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "America/New_York"}, days: map[string]kind.Figures{"2026-03-01": figs(4, 8, nil)}}
	// 03:00 UTC on March 2 is still March 1 in New York.
	b := ReadBaseline(context.Background(), "m", 3, api, nil, "UTC", time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC))
	if b.Skipped != "" || b.Timezone != "America/New_York" || len(b.Days) != 2 || b.Days["2026-03-01"].Visits != 4 {
		t.Errorf("%+v", b)
	}
	if got := strings.Join(api.invalidated[0], ","); got != "2026-03-01,2026-03-02" {
		t.Errorf("invalidated %s", got)
	}
	if b := ReadBaseline(context.Background(), "m", 3, nil, nil, "UTC", time.Now()); b.Skipped == "" || b.Days != nil {
		t.Errorf("without an API: %+v", b)
	}
	// A backfill's days in UTC, read in a site east of it: the next day too.
	api = &fakeAPI{site: kind.SiteInfo{Timezone: "Asia/Tokyo"}}
	b = ReadBaseline(context.Background(), "m", 3, api, []string{"2026-03-01", "2026-03-02"}, "UTC", time.Now())
	if got := strings.Join(api.invalidated[0], ","); got != "2026-03-01,2026-03-02,2026-03-03" || len(b.Days) != 3 {
		t.Errorf("invalidated %s, days %v", got, b.Days)
	}
}

func TestDecodeBaselineRoundTrip(t *testing.T) {
	in := Baseline{Version: BaselineVersion, Taken: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Targets: []BaselineTarget{{Target: "m", SiteID: 3, Timezone: "UTC", Days: map[string]kind.Figures{"2026-03-01": figs(1, 2, nil)}}}}
	data, _ := json.Marshal(in)
	b, err := DecodeBaseline(data)
	if err != nil || b.Of("m").Days["2026-03-01"].Actions != 2 || b.Of("x") != nil {
		t.Fatalf("%+v %v", b, err)
	}
	for src, want := range map[string]string{
		`{"version":"trafficinator.baseline/v9","targets":[]}`:                                     `baseline version "trafficinator.baseline/v9": this build reads trafficinator.baseline/v1 (write it again with verify --save-baseline)`,
		`{"version":"trafficinator.baseline/v1","targets":[{"target":"m","days":{"March 1":{}}}]}`: `baseline of target "m": day "March 1" is not YYYY-MM-DD`,
		`{"version":"trafficinator.baseline/v1","extra":1}`:                                        `not a baseline file: json: unknown field "extra"`,
		`[`: `not a baseline file: unexpected EOF`,
	} {
		if _, err := DecodeBaseline([]byte(src)); err == nil || err.Error() != want {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// FuzzDecodeBaseline: any file content gives a baseline or an error,
// never a panic.
func FuzzDecodeBaseline(f *testing.F) {
	f.Add(`{"version":"trafficinator.baseline/v1","taken":"2026-03-01T00:00:00Z","targets":[{"target":"m","site_id":1,"timezone":"UTC","days":{"2026-03-01":{"visits":3,"referrer_types":{"direct":3}}}}]}`)
	f.Add(`{"version":"trafficinator.baseline/v1","targets":null}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeBaseline([]byte(s))
		if err == nil && b.Version != BaselineVersion {
			t.Fatalf("accepted version %q", b.Version)
		}
	})
}

func TestSummarize(t *testing.T) {
	one := func(v float64) *float64 { return &v }
	targets := []report.Target{
		{Name: "a", Verification: &report.Verification{Status: report.VerifyVerified, SampleChecked: 5,
			Rows: []report.VerifyRow{{Figure: "visits", Day: "2026-03-01", Expected: 10, Recorded: 10}, {Figure: "visits", Expected: 10, Recorded: 10, Ratio: one(1)}}}},
		{Name: "b", Verification: &report.Verification{Status: report.VerifyMismatch, SampleChecked: 5,
			SampleMismatches: []report.SampleMismatch{{VisitorID: "x", Difference: "split into 2 visits"}},
			Rows:             []report.VerifyRow{{Figure: "visits", Expected: 10, Recorded: 8, Ratio: one(0.8)}}}},
		{Name: "c", Verification: &report.Verification{Status: report.VerifySkipped, Reason: "no token"}},
		{Name: "d"},
	}
	s := Summarize(targets)
	if s.Status != report.VerifyMismatch || s.Targets["verified"] != 1 || s.Targets["mismatch"] != 1 || s.Targets["skipped"] != 1 ||
		s.SampleChecked != 10 || s.SampleMismatches != 1 || len(s.Rows) != 1 || s.Rows[0].Expected != 20 || s.Rows[0].Recorded != 18 || *s.Rows[0].Ratio != 0.9 {
		t.Errorf("%+v", s)
	}
	if s := Summarize(nil); s.Status != report.VerifySkipped {
		t.Errorf("no target: %s", s.Status)
	}
}
