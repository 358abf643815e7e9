package runner

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets"
)

// Delivery verification end to end (docs/verify.md): apply --verify's
// path (Options.Verify) against the built-in sink's Reporting API, clean
// and misbehaving.

// verifySink serves a sink with opts on a loopback httptest server and
// returns its tracking URL.
func verifySink(t *testing.T, opts targets.SinkOptions) string {
	t.Helper()
	s, err := targets.NewSink(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/matomo.php"
}

// verifyScenario is a realtime scenario of visits in tz, at one target
// (kind: sink when url is "", else kind: matomo at url), with policies.
func verifyScenario(t *testing.T, url, tz string, seed, visits int, policies string) *plan.Plan {
	t.Helper()
	target := "  - {name: m, kind: sink, site_id: 1}\n"
	if url != "" {
		target = fmt.Sprintf("  - {name: m, kind: matomo, url: %q, site_id: 1, token_auth: %s}\n", url, bfToken)
	}
	yaml := fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: verify}
run: {rate: 400/s, concurrency: 400, seed: %d, max_visits: %d, timezone: %s}
targets:
%straffic:
  pageviews: {min: 1, max: 5}
  pause: {min: 0s, max: 0s}
  features:
    site_search: {probability: 0.5}
    outlinks: {probability: 0.5}
    downloads: {probability: 0.5}
    click_events: {probability: 0.5}
    ecommerce: {probability: 0.4}
%s`, seed, visits, tz, target, policies)
	res := scenario.Load("verify.yaml", []byte(yaml), scenario.Options{Lookup: func(string) (string, bool) { return "", false }})
	if !res.Valid() {
		t.Fatalf("invalid scenario: %v\n%s", res.Diags, yaml)
	}
	p, err := plan.Compile(res.Scenario, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func runVerified(t *testing.T, p *plan.Plan, verify bool) *report.Report {
	t.Helper()
	opts := Options{RunID: "verify-e2e", NoPreflight: true, VerifySample: 50, Logf: t.Logf, Grace: time.Minute}
	if verify {
		opts.Verify = &VerifyOptions{Settle: 5 * time.Second}
	}
	rep, err := Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// A clean run verifies with every ratio exactly 1 and no sample mismatch.
func TestVerifyE2ECleanSink(t *testing.T) {
	tz := zoneAwayFromMidnight(t)
	rep := runVerified(t, verifyScenario(t, "", tz, 3, 400, ""), true)
	v := rep.Targets[0].Verification
	if v == nil || v.Status != report.VerifyVerified || rep.Run.ExitCode != 0 || rep.Verification.Status != report.VerifyVerified {
		t.Fatalf("verification %+v, exit %d", v, rep.Run.ExitCode)
	}
	for _, row := range v.Rows {
		if !row.Matches() || row.Ratio == nil || *row.Ratio != 1 {
			t.Errorf("row %+v", row)
		}
	}
	if v.SampleChecked != 50 || len(v.SampleMismatches) != 0 || v.SiteTimezone != tz {
		t.Errorf("sample %d checked, mismatches %+v, site timezone %q", v.SampleChecked, v.SampleMismatches, v.SiteTimezone)
	}
	for _, row := range v.Rows {
		if row.Day == "" && row.Figure == "visits" && row.Expected != 400 {
			t.Errorf("total visits %+v", row)
		}
	}
}

// A sink that silently drops 2% of visits: recorded_ratio and
// actions_ratio show it, and a fail policy on them fails the run.
func TestVerifyE2EDroppedVisitsFail(t *testing.T) {
	tz := zoneAwayFromMidnight(t)
	url := verifySink(t, targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Timezone: tz}}, DropVisits: 0.02, MisbehaveSeed: 1})
	rep := runVerified(t, verifyScenario(t, url, tz, 3, 1000, `policies:
  - name: recorded
    when: recorded_ratio < 0.995 || actions_ratio < 0.995
    action: fail
`), true)
	if rep.Run.ExitCode != 1 || len(rep.Policies) != 1 || rep.Policies[0].Policy != "recorded" {
		t.Fatalf("exit %d, firings %+v", rep.Run.ExitCode, rep.Policies)
	}
	f := rep.Policies[0].Values
	t.Logf("recorded_ratio %v, actions_ratio %v", f["recorded_ratio"], f["actions_ratio"])
	if f["recorded_ratio"] >= 0.995 || f["recorded_ratio"] < 0.9 || f["actions_ratio"] >= 1 {
		t.Errorf("values %v", f)
	}
	if v := rep.Targets[0].Verification; v.Status != report.VerifyMismatch {
		t.Errorf("status %s", v.Status)
	}
}

// A sink that merges visits: the sample reports them, visit by visit.
func TestVerifyE2EMergedVisitsMismatch(t *testing.T) {
	tz := zoneAwayFromMidnight(t)
	url := verifySink(t, targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Timezone: tz}}, MergeVisits: 0.3, MisbehaveSeed: 2})
	rep := runVerified(t, verifyScenario(t, url, tz, 3, 400, ""), true)
	v := rep.Targets[0].Verification
	if v.Status != report.VerifyMismatch || len(v.SampleMismatches) == 0 || rep.Run.ExitCode != 1 {
		t.Fatalf("status %s, %d mismatches, exit %d", v.Status, len(v.SampleMismatches), rep.Run.ExitCode)
	}
	for _, m := range v.SampleMismatches {
		ok := false
		// Which difference comes first depends on which visits merged:
		// any of the engine's kinds of difference (sample.go) will do.
		for _, prefix := range []string{"missing visit: ", "missing action at position ", "extra action at position ",
			"different order at position ", "different type at position ", "different url at position ", "split into "} {
			ok = ok || strings.HasPrefix(m.Difference, prefix)
		}
		if len(m.VisitorID) != 16 || !ok {
			t.Errorf("mismatch %+v", m)
		}
	}
}

// Other traffic on the site before the run: the baseline apply --verify
// reads before its traffic makes the ratios exact again.
func TestVerifyE2EBaseline(t *testing.T) {
	tz := zoneAwayFromMidnight(t)
	url := verifySink(t, targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Timezone: tz}}})
	runVerified(t, verifyScenario(t, url, tz, 9, 150, ""), false)
	rep := runVerified(t, verifyScenario(t, url, tz, 3, 300, ""), true)
	v := rep.Targets[0].Verification
	if v.Status != report.VerifyVerified || !v.Baseline || rep.Run.ExitCode != 0 {
		t.Fatalf("status %s, baseline %v, exit %d, rows %+v", v.Status, v.Baseline, rep.Run.ExitCode, v.Rows)
	}
	for _, row := range v.Rows {
		if !row.Matches() || row.Ratio == nil || *row.Ratio != 1 {
			t.Errorf("row %+v: the baseline should make every figure exact", row)
		}
		if row.Day == "" && row.Figure == "visits" && (row.Expected != 300 || row.Recorded != 300) {
			t.Errorf("total visits %+v", row)
		}
	}
	if len(v.SampleMismatches) != 0 {
		t.Errorf("sample mismatches %+v", v.SampleMismatches)
	}
}

// A backfill over 3 days in a site timezone that is not UTC verifies per
// day: 3 days of rows plus the totals, every one exact.
func TestVerifyE2EBackfillPerDay(t *testing.T) {
	const tz = "America/New_York"
	url := verifySink(t, targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Tokens: []string{bfToken}, Timezone: tz}}})
	p := bfCompile(t, bfScenario(bfSpec{Targets: []string{url}, Timezone: tz, Window: "from: 2026-10-24, to: 2026-10-26", PerDay: "80", Concurrency: 16}), bfClock)
	rep := runBF(t, context.Background(), p, Options{RunID: "verify-bf", VerifySample: 30, Verify: &VerifyOptions{}})
	v := rep.Targets[0].Verification
	if v.Status != report.VerifyVerified || strings.Join(v.Days, ",") != "2026-10-24,2026-10-25,2026-10-26" || v.SiteTimezone != tz || rep.Run.ExitCode != 0 {
		t.Fatalf("status %s (%s), days %v, zone %s, exit %d", v.Status, v.Reason, v.Days, v.SiteTimezone, rep.Run.ExitCode)
	}
	perDay := map[string]int{}
	for _, row := range v.Rows {
		perDay[row.Day]++
		if !row.Matches() {
			t.Errorf("row %+v", row)
		}
	}
	if len(perDay) != 4 || perDay["2026-10-25"] == 0 || perDay[""] == 0 {
		t.Errorf("rows by day %v", perDay)
	}
	if v.SampleChecked != 30 || len(v.SampleMismatches) != 0 {
		t.Errorf("sample %d, mismatches %+v", v.SampleChecked, v.SampleMismatches)
	}
}
