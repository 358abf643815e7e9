package runner

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// siteAPI is a fake Reporting API of one site with fixed figures.
type siteAPI struct {
	url string
	day kind.Figures
}

func (s siteAPI) Version(context.Context) (string, error) { return "5.0.2", nil }
func (s siteAPI) Site(context.Context) (kind.SiteInfo, error) {
	return kind.SiteInfo{Timezone: "UTC"}, nil
}
func (s siteAPI) Day(context.Context, string) (kind.Figures, error) { return s.day, nil }
func (s siteAPI) Invalidate(context.Context, []string) error        { return nil }
func (s siteAPI) Counters(context.Context, int) (kind.LiveCounters, error) {
	return kind.LiveCounters{}, nil
}
func (s siteAPI) Visits(context.Context, string, string, string) ([]kind.LiveVisit, error) {
	return nil, nil
}
func (s siteAPI) HasRawVisits(context.Context, string) (bool, error) { return false, nil }

// withFakeAPI makes every client answer recorded visits (and as many
// actions) for each day, and locates APIs at the target's api_url.
func withFakeAPI(t *testing.T, recorded int64) *[]string {
	seen := &[]string{}
	oldClient, oldURL := newReportingAPI, reportingURL
	newReportingAPI = func(c verify.Config) (verify.API, error) {
		*seen = append(*seen, c.URL+" site "+strconv.Itoa(c.SiteID)+" token "+string(c.Token))
		return siteAPI{url: c.URL, day: kind.Figures{Visits: recorded, UniqueVisitors: recorded, Actions: recorded, Pageviews: recorded}}, nil
	}
	reportingURL = func(s *kind.Settings) (string, bool) { return string(s.APIURL), s.APIURL != "" }
	t.Cleanup(func() { newReportingAPI, reportingURL = oldClient, oldURL })
	return seen
}

func verifyFixture(policies ...report.PolicyDef) (*Plan, *report.Report) {
	p := &plan.Plan{Timezone: "UTC", Targets: []plan.Target{
		{Settings: kind.Settings{Name: "m", Kind: "matomo", SiteID: 3, APIURL: "http://127.0.0.1:1/index.php", VerifyToken: "t0k"}, Enabled: true},
		{Settings: kind.Settings{Name: "n", Kind: "matomo", SiteID: 4, APIURL: "http://127.0.0.1:1/index.php"}, Enabled: true},
		{Settings: kind.Settings{Name: "f", Kind: "file"}, Enabled: true},
	}}
	day := report.ExpectedDay{Date: "2026-03-01", Figures: kind.Figures{Visits: 100, UniqueVisitors: 100, Actions: 100, Pageviews: 100}}
	r := &report.Report{Version: report.Version, Run: report.RunInfo{Outcome: OutcomePassed}, PoliciesDefined: policies}
	for _, pt := range p.Targets {
		r.Targets = append(r.Targets, report.Target{Name: pt.Name, Expected: &report.Expected{Timezone: "UTC", Days: []report.ExpectedDay{day}, Total: day.Figures}})
	}
	return p, r
}

// A target without a token is skipped, never passed: a policy on
// recorded_ratio fires for it, and the run fails; the verified target's
// ratio is read exactly.
func TestVerifyReportSkipsWithoutTokenAndPolicyFires(t *testing.T) {
	seen := withFakeAPI(t, 98)
	p, r := verifyFixture(report.PolicyDef{Name: "recorded", Scope: "target", When: "recorded_ratio < 0.99", Action: "fail", Line: 30})
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	if strings.Join(*seen, "|") != "http://127.0.0.1:1/index.php site 3 token t0k" {
		t.Errorf("clients %q", *seen)
	}
	m, n, f := r.Targets[0].Verification, r.Targets[1].Verification, r.Targets[2].Verification
	if m.Status != report.VerifyMismatch || n.Status != report.VerifySkipped || f.Status != report.VerifySkipped {
		t.Fatalf("statuses %s %s %s", m.Status, n.Status, f.Status)
	}
	if n.Reason != "target n has no verify_token and no token_auth: verification needs a token with view access on site 4" || f.Reason != "kind file has no Reporting API" {
		t.Errorf("reasons %q, %q", n.Reason, f.Reason)
	}
	if r.Run.ExitCode != 1 || r.Run.Outcome != OutcomeFailed || len(r.Policies) != 3 {
		t.Fatalf("exit %d %s, firings %+v", r.Run.ExitCode, r.Run.Outcome, r.Policies)
	}
	if fm := r.Policies[0]; fm.Target != "m" || fm.Values["recorded_ratio"] != 0.98 || fm.Error != "" {
		t.Errorf("firing for m: %+v", fm)
	}
	if fn := r.Policies[1]; fn.Target != "n" || fn.Error != "verification skipped: target n has no verify_token and no token_auth: verification needs a token with view access on site 4" {
		t.Errorf("firing for n: %+v", fn)
	}
	if r.Verification.Status != report.VerifyMismatch || r.Verification.Targets["skipped"] != 2 {
		t.Errorf("summary %+v", r.Verification)
	}
}

// Without a policy on verification figures, any difference fails the
// run; an exact one passes, and a policy tolerant enough passes too.
func TestVerifyReportDefaultGate(t *testing.T) {
	withFakeAPI(t, 98)
	p, r := verifyFixture()
	p.Targets = p.Targets[:1]
	r.Targets = r.Targets[:1]
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	if r.Run.ExitCode != 1 || len(r.Warnings) != 1 || r.Warnings[0] != "verification: mismatch: no policy reads a verification figure, so any difference fails the run (docs/verify.md#gating)" {
		t.Errorf("exit %d, warnings %q", r.Run.ExitCode, r.Warnings)
	}
	p, r = verifyFixture(report.PolicyDef{Name: "lenient", Scope: "run", When: "recorded_ratio < 0.95", Action: "fail", Line: 9})
	p.Targets, r.Targets = p.Targets[:1], r.Targets[:1]
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	if r.Run.ExitCode != 0 || len(r.Policies) != 0 {
		t.Errorf("exit %d, firings %+v", r.Run.ExitCode, r.Policies)
	}
	withFakeAPI(t, 100)
	p, r = verifyFixture()
	p.Targets, r.Targets = p.Targets[:1], r.Targets[:1]
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	if r.Run.ExitCode != 0 || r.Verification.Status != report.VerifyVerified || r.Targets[0].Verification.Rows[0].Ratio == nil || *r.Targets[0].Verification.Rows[0].Ratio != 1 {
		t.Errorf("exit %d, %+v", r.Run.ExitCode, r.Verification)
	}
}

// Verifying a report again judges it on the new verification alone.
func TestVerifyReportAgainReplacesTheFirst(t *testing.T) {
	withFakeAPI(t, 98)
	p, r := verifyFixture(report.PolicyDef{Name: "recorded", Scope: "run", When: "recorded_ratio < 0.99", Action: "fail", Line: 30},
		report.PolicyDef{Name: "busy", Scope: "run", When: "visits >= 0", Action: "warn", Line: 34})
	p.Targets, r.Targets = p.Targets[:1], r.Targets[:1]
	r.Policies = []PolicyFiring{{Policy: "busy", Action: "warn", Phase: "end"}}
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	if r.Run.ExitCode != 1 || len(r.Policies) != 2 {
		t.Fatalf("first: exit %d, firings %+v", r.Run.ExitCode, r.Policies)
	}
	withFakeAPI(t, 100)
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	if r.Run.ExitCode != 0 || r.Run.Outcome != OutcomePassed || len(r.Policies) != 1 || r.Policies[0].Policy != "busy" || r.Verification.Status != report.VerifyVerified {
		t.Errorf("again: exit %d %s, firings %+v, %+v", r.Run.ExitCode, r.Run.Outcome, r.Policies, r.Verification)
	}
}

// A client that cannot be made fails the target, with the reason.
func TestVerifyReportClientError(t *testing.T) {
	withFakeAPI(t, 100)
	newReportingAPI = func(verify.Config) (verify.API, error) {
		return nil, errors.New("reporting: URL http:// is not an http(s) URL")
	}
	p, r := verifyFixture()
	p.Targets, r.Targets = p.Targets[:1], r.Targets[:1]
	VerifyReport(context.Background(), p, r, VerifyOptions{})
	v := r.Targets[0].Verification
	if v.Status != report.VerifyFailed || v.Reason != "Reporting API client: reporting: URL http:// is not an http(s) URL" || r.Run.ExitCode != 1 {
		t.Errorf("%+v, exit %d", v, r.Run.ExitCode)
	}
}
