package verify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func figs(visits, actions int64, refs map[string]int64) kind.Figures {
	return kind.Figures{Visits: visits, UniqueVisitors: visits, Actions: actions, Pageviews: actions, ReferrerTypes: refs}
}

func expected(tz string, days ...report.ExpectedDay) *report.Expected {
	e := &report.Expected{Timezone: tz, Days: days}
	for _, d := range days {
		e.Total.Add(d.Figures)
	}
	return e
}

// rowText writes the rows of one figure as "day expected recorded ratio".
func rowText(rows []report.VerifyRow, figure string) string {
	var out []string
	for _, r := range rows {
		if r.Figure != figure {
			continue
		}
		ratio := "null"
		if r.Ratio != nil {
			ratio = formatRatio(*r.Ratio)
		}
		out = append(out, r.Day+" "+itoa(r.Expected)+" "+itoa(r.Recorded)+" "+ratio)
	}
	return strings.Join(out, "; ")
}

func TestVerifyComparesPerDayAndInTotal(t *testing.T) {
	api := &fakeAPI{
		site: kind.SiteInfo{ID: 3, Timezone: "UTC"},
		days: map[string]kind.Figures{
			"2026-03-01": figs(10, 30, map[string]int64{"direct": 10}),
			"2026-03-02": figs(9, 27, map[string]int64{"direct": 8, "search": 1}),
		},
	}
	exp := expected("UTC",
		report.ExpectedDay{Date: "2026-03-01", Figures: figs(10, 30, map[string]int64{"direct": 10})},
		report.ExpectedDay{Date: "2026-03-02", Figures: figs(10, 30, map[string]int64{"direct": 10})})
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: exp}, Options{})
	if v.Status != report.VerifyMismatch || v.Reason != "" || v.SiteTimezone != "UTC" || len(v.Warnings) != 0 {
		t.Fatalf("status %s, reason %q, tz %q, warnings %q", v.Status, v.Reason, v.SiteTimezone, v.Warnings)
	}
	if got := strings.Join(api.invalidated[0], ","); len(api.invalidated) != 1 || got != "2026-03-01,2026-03-02" {
		t.Errorf("invalidated %v", api.invalidated)
	}
	for figure, want := range map[string]string{
		"visits":                 "2026-03-01 10 10 1; 2026-03-02 10 9 0.9;  20 19 0.95",
		"actions":                "2026-03-01 30 30 1; 2026-03-02 30 27 0.9;  60 57 0.95",
		"orders":                 "2026-03-01 0 0 1; 2026-03-02 0 0 1;  0 0 1",
		"referrer_types.direct":  "2026-03-01 10 10 1; 2026-03-02 10 8 0.8;  20 18 0.9",
		"referrer_types.search":  "2026-03-02 0 1 null;  0 1 null",
		"countries.fr":           "",
		"revenue_cents":          "2026-03-01 0 0 1; 2026-03-02 0 0 1;  0 0 1",
		"unique_visitors":        "2026-03-01 10 10 1; 2026-03-02 10 9 0.9;  20 19 0.95",
		"referrer_types.website": "",
	} {
		if got := rowText(v.Rows, figure); got != want {
			t.Errorf("%s: got %q, want %q", figure, got, want)
		}
	}
	if len(v.Rows) != 3*13+2+3 {
		t.Errorf("%d rows", len(v.Rows))
	}
}

func TestVerifyAllEqualIsVerified(t *testing.T) {
	f := figs(4, 9, map[string]int64{"campaign": 4})
	f.Orders, f.RevenueCents, f.Countries = 1, 1999, map[string]int64{"de": 4}
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "Europe/Berlin"}, days: map[string]kind.Figures{"2026-03-01": f}}
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: expected("Europe/Berlin", report.ExpectedDay{Date: "2026-03-01", Figures: f})}, Options{})
	if v.Status != report.VerifyVerified || !allMatch(v.Rows) || rowText(v.Rows, "revenue_cents") != "2026-03-01 1999 1999 1;  1999 1999 1" {
		t.Errorf("status %s, rows %+v", v.Status, v.Rows)
	}
}

func TestVerifySkipsWithoutAPI(t *testing.T) {
	v := Verify(context.Background(), Target{Name: "m", Skip: "target m has no verify_token and no token_auth", Expected: &report.Expected{}}, Options{})
	if v.Status != report.VerifySkipped || v.Reason != "target m has no verify_token and no token_auth" || len(v.Rows) != 0 {
		t.Errorf("%+v", v)
	}
	v = Verify(context.Background(), Target{Name: "m", Failed: "Reporting API client: reporting: SiteID 0 is not a Matomo site id (1 or more)", Expected: &report.Expected{}}, Options{})
	if v.Status != report.VerifyFailed || v.Reason != "Reporting API client: reporting: SiteID 0 is not a Matomo site id (1 or more)" {
		t.Errorf("%+v", v)
	}
}

// fakeClock advances only when slept on.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }
func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	return nil
}

func TestVerifyNotArchived(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}, raw: map[string]bool{"2026-03-01": true},
		days: map[string]kind.Figures{"2026-03-01": figs(5, 5, nil)}, archivedAfter: 1000}
	exp := expected("UTC", report.ExpectedDay{Date: "2026-03-01", Figures: figs(5, 5, nil)})
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: exp},
		Options{Wait: 12 * time.Second, Retry: 5 * time.Second, Now: clock.now, Sleep: clock.sleep})
	want := "2026-03-01: Matomo's raw data has visits but the archive answers none after invalidation, so browser-triggered archiving is off. Run ./console core:archive on the Matomo server, or use --wait DURATION to read again until the archive appears (waited 12s)"
	if v.Status != report.VerifyNotArchived || v.Reason != want {
		t.Errorf("status %s, reason %q", v.Status, v.Reason)
	}
	if api.dayReads["2026-03-01"] != 4 || clock.t.Sub(time.Unix(1e9, 0)) != 12*time.Second {
		t.Errorf("%d reads over %s, want 4 over 12s (0, 5, 10, 12)", api.dayReads["2026-03-01"], clock.t.Sub(time.Unix(1e9, 0)))
	}
	// With --wait long enough, the archive appears on the third read.
	api = &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}, raw: map[string]bool{"2026-03-01": true},
		days: map[string]kind.Figures{"2026-03-01": figs(5, 5, nil)}, archivedAfter: 2}
	v = Verify(context.Background(), Target{Name: "m", API: api, Expected: exp},
		Options{Wait: time.Minute, Retry: 5 * time.Second, Now: clock.now, Sleep: clock.sleep})
	if v.Status != report.VerifyVerified || api.dayReads["2026-03-01"] != 3 {
		t.Errorf("status %s after %d reads", v.Status, api.dayReads["2026-03-01"])
	}
	// A day without raw visits is simply empty.
	api = &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}}
	v = Verify(context.Background(), Target{Name: "m", API: api, Expected: exp}, Options{Wait: time.Minute})
	if v.Status != report.VerifyMismatch || rowText(v.Rows, "visits") != "2026-03-01 5 0 0;  5 0 0" || api.dayReads["2026-03-01"] != 1 {
		t.Errorf("status %s, %q, %d reads", v.Status, rowText(v.Rows, "visits"), api.dayReads["2026-03-01"])
	}
}

func TestVerifySubtractsBaseline(t *testing.T) {
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}, days: map[string]kind.Figures{
		"2026-03-01": figs(15, 40, map[string]int64{"direct": 15}), "2026-03-02": figs(10, 30, nil)}}
	exp := expected("UTC",
		report.ExpectedDay{Date: "2026-03-01", Figures: figs(10, 30, map[string]int64{"direct": 10})},
		report.ExpectedDay{Date: "2026-03-02", Figures: figs(10, 30, nil)})
	base := &Baseline{Version: BaselineVersion, Targets: []BaselineTarget{{Target: "m", Timezone: "UTC",
		Days: map[string]kind.Figures{"2026-03-01": figs(5, 10, map[string]int64{"direct": 5})}}}}
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: exp}, Options{Baseline: base})
	if v.Status != report.VerifyVerified || !v.Baseline {
		t.Errorf("status %s, baseline %v, rows %q", v.Status, v.Baseline, rowText(v.Rows, "visits"))
	}
	if want := []string{"the baseline has no figures for 2026-03-02: compared without subtracting any"}; strings.Join(v.Warnings, "|") != want[0] {
		t.Errorf("warnings %q", v.Warnings)
	}
	// Another target's baseline is not this one's.
	v = Verify(context.Background(), Target{Name: "other", API: api, Expected: exp}, Options{Baseline: base})
	if v.Baseline || rowText(v.Rows, "visits") != "2026-03-01 10 15 1.5; 2026-03-02 10 10 1;  20 25 1.25" {
		t.Errorf("baseline %v, %q", v.Baseline, rowText(v.Rows, "visits"))
	}
}

func TestVerifyWarnsOfTimezoneAndComparesTotals(t *testing.T) {
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "Europe/Paris"}, days: map[string]kind.Figures{
		"2026-03-01": figs(7, 20, nil), "2026-03-02": figs(3, 10, nil)}}
	exp := expected("UTC", report.ExpectedDay{Date: "2026-03-01", Figures: figs(10, 30, nil)})
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: exp}, Options{})
	want := "the site's timezone Europe/Paris differs from run.timezone UTC: Matomo counts days in Europe/Paris, so the figures are compared in total over the site's days 2026-03-01, 2026-03-02, not day by day"
	if len(v.Warnings) != 1 || v.Warnings[0] != want {
		t.Errorf("warnings %q", v.Warnings)
	}
	if v.Status != report.VerifyVerified || rowText(v.Rows, "visits") != " 10 10 1" || len(v.Rows) != 13 {
		t.Errorf("status %s, rows %+v", v.Status, v.Rows)
	}
}

func TestVerifyFailsOnAPIErrors(t *testing.T) {
	api := &fakeAPI{siteErr: errWrongToken}
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: expected("UTC")}, Options{})
	if v.Status != report.VerifyFailed || v.Reason != "SitesManager.getSiteFromId: the token has no view access" {
		t.Errorf("%+v", v)
	}
	api = &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}}
	v = Verify(context.Background(), Target{Name: "m", API: api, Expected: expected("UTC", report.ExpectedDay{Date: "boom"})}, Options{})
	if v.Status != report.VerifyFailed || v.Reason != "reading the site's figures: boom: HTTP 500" {
		t.Errorf("%+v", v)
	}
}

// A view token cannot invalidate: verification reads on, and warns.
func TestVerifyWithoutInvalidation(t *testing.T) {
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}, invalidateErr: errWrongToken,
		days: map[string]kind.Figures{"2026-03-01": figs(5, 5, nil)}}
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: expected("UTC", report.ExpectedDay{Date: "2026-03-01", Figures: figs(5, 5, nil)})}, Options{})
	want := "CoreAdminHome.invalidateArchivedReports: the token has no view access: the days' archives were not rebuilt and may predate the run's last hits (it needs a token with admin access)"
	if v.Status != report.VerifyVerified || len(v.Warnings) != 1 || v.Warnings[0] != want {
		t.Errorf("status %s, warnings %q", v.Status, v.Warnings)
	}
}

// Countries are compared when the run sent some, key by key; a run
// without geo does not compare Matomo's guesses ("xx").
func TestVerifyCountries(t *testing.T) {
	rec := figs(3, 3, nil)
	rec.Countries = map[string]int64{"xx": 1, "fr": 2}
	api := &fakeAPI{site: kind.SiteInfo{Timezone: "UTC"}, days: map[string]kind.Figures{"2026-03-01": rec}}
	exp := figs(3, 3, nil)
	v := Verify(context.Background(), Target{Name: "m", API: api, Expected: expected("UTC", report.ExpectedDay{Date: "2026-03-01", Figures: exp})}, Options{})
	if v.Status != report.VerifyVerified || rowText(v.Rows, "countries.xx") != "" {
		t.Errorf("without geo: %s %q", v.Status, rowText(v.Rows, "countries.xx"))
	}
	exp.Countries = map[string]int64{"fr": 2, "de": 1}
	v = Verify(context.Background(), Target{Name: "m", API: api, Expected: expected("UTC", report.ExpectedDay{Date: "2026-03-01", Figures: exp})}, Options{})
	if v.Status != report.VerifyMismatch || rowText(v.Rows, "countries.de") != "2026-03-01 1 0 0;  1 0 0" ||
		rowText(v.Rows, "countries.fr") != "2026-03-01 2 2 1;  2 2 1" || rowText(v.Rows, "countries.xx") != "2026-03-01 0 1 null;  0 1 null" {
		t.Errorf("with geo: %s %+v", v.Status, v.Rows)
	}
}
