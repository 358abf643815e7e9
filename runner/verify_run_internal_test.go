package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// apiTarget is an opened target whose server answers the Reporting API
// at its URL, as a sink does.
type apiTarget struct{ url string }

func (apiTarget) Encode(kind.Visit, []string) func()                     { return nil }
func (apiTarget) SendOne(context.Context, string, string) kind.Result    { return kind.Result{} }
func (apiTarget) SendBulk(context.Context, []string, string) kind.Result { return kind.Result{} }
func (apiTarget) Preflight(context.Context) kind.Preflight               { return kind.Preflight{} }
func (apiTarget) Endpoint() string                                       { return "" }
func (apiTarget) Close() error                                           { return nil }
func (t apiTarget) ReportingURL() string                                 { return t.url }

// countingAPI records the calls, and answers visits that grow by 10 from
// one Day read to the next (traffic between the baseline and the end).
type countingAPI struct {
	siteAPI
	calls *[]string
	reads *int64
}

func (a countingAPI) Day(_ context.Context, d string) (kind.Figures, error) {
	*a.calls = append(*a.calls, "day "+d)
	v := *a.reads
	*a.reads += 10
	return kind.Figures{Visits: v, UniqueVisitors: v, Actions: v, Pageviews: v}, nil
}

func (a countingAPI) Counters(context.Context, int) (kind.LiveCounters, error) {
	*a.calls = append(*a.calls, "counters")
	return kind.LiveCounters{Visits: 3}, nil
}

// apply --verify's in-run path: a baseline of today and tomorrow in the
// site's timezone before traffic, then (after Live.getCounters settles)
// the same days read again with the baseline subtracted; a target whose
// kind has no Reporting API is skipped with that reason.
func TestRunVerifyBaselineThenVerify(t *testing.T) {
	calls, reads := &[]string{}, new(int64)
	old := newReportingAPI
	newReportingAPI = func(c verify.Config) (verify.API, error) {
		*calls = append(*calls, "client "+c.URL+" token "+string(c.Token))
		return countingAPI{calls: calls, reads: reads}, nil
	}
	t.Cleanup(func() { newReportingAPI = old })
	p := &plan.Plan{Timezone: "UTC", Targets: []plan.Target{
		{Settings: kind.Settings{Name: "s", Kind: "sink", SiteID: 1}, Enabled: true},
		{Settings: kind.Settings{Name: "f", Kind: "file"}, Enabled: true},
	}}
	rt := &runtime{plan: p, targets: []*targetRuntime{
		{plan: &p.Targets[0], target: apiTarget{url: "http://127.0.0.1:9/index.php"}},
		{plan: &p.Targets[1], target: fileTarget{}},
	}}
	opts := Options{Logf: t.Logf, Verify: &VerifyOptions{Settle: 3 * time.Second}}
	base := rt.baseline(context.Background(), opts)
	today := time.Now().UTC()
	days := []string{today.Format("2006-01-02"), today.AddDate(0, 0, 1).Format("2006-01-02")}
	if len(base.Targets) != 2 || base.Targets[0].Days[days[0]].Visits != 0 || base.Targets[0].Days[days[1]].Visits != 10 ||
		base.Targets[1].Skipped != "kind file has no Reporting API" {
		t.Fatalf("baseline %+v", base.Targets)
	}
	*calls = nil
	exp := report.ExpectedDay{Date: days[0], Figures: kind.Figures{Visits: 20, UniqueVisitors: 20, Actions: 20, Pageviews: 20}}
	r := &report.Report{Run: report.RunInfo{DurationS: 20, Outcome: OutcomePassed}, Targets: []report.Target{
		{Name: "s", Expected: &report.Expected{Timezone: "UTC", Days: []report.ExpectedDay{exp}, Total: exp.Figures}},
		{Name: "f", Expected: &report.Expected{Timezone: "UTC"}},
	}}
	rt.verify(context.Background(), r, opts, base)
	if got := strings.Join(*calls, ", "); got != "client http://127.0.0.1:9/index.php token anonymous, counters, counters, day "+days[0] {
		t.Errorf("calls: %s", got)
	}
	v := r.Targets[0].Verification
	if v.Status != report.VerifyVerified || !v.Baseline || v.Rows[0].Expected != 20 || v.Rows[0].Recorded != 20 {
		t.Errorf("verification %+v", v)
	}
	if f := r.Targets[1].Verification; f.Status != report.VerifySkipped || f.Reason != "kind file has no Reporting API" {
		t.Errorf("file target %+v", f)
	}
	if r.Run.ExitCode != 0 || r.Verification.Status != report.VerifySkipped || r.Verification.Targets["verified"] != 1 {
		t.Errorf("exit %d, %+v", r.Run.ExitCode, r.Verification)
	}
}

// fileTarget is an opened target without a Reporting API.
type fileTarget struct{ apiTarget }

func (fileTarget) ReportingURL() {} // not kind.ReportingAPI's method
