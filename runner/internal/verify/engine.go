package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Target is one target to verify.
type Target struct {
	Name string
	// API reads the target's site; nil skips the target, for Skip, or
	// fails it, for Failed (a client that could not be made).
	API    API
	Skip   string
	Failed string
	// Expected is the run's own account (the report's).
	Expected *report.Expected
}

// Options tune a verification.
type Options struct {
	// Baseline, when set, is subtracted from what each site recorded.
	Baseline *Baseline
	// Wait bounds how long a day that is not archived is read again.
	Wait time.Duration
	// Retry is the pause between two reads of such a day (default 5s).
	Retry time.Duration
	// Sample is how many of the report's sampled visits to compare
	// (0: all).
	Sample int
	// Now and Sleep default to the clock; tests replace them.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	return SleepCtx(ctx, d)
}

func (o *Options) retry() time.Duration {
	if o.Retry > 0 {
		return o.Retry
	}
	return 5 * time.Second
}

// SleepCtx sleeps d, or less when ctx ends (its error then).
func SleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Verify compares what t's site recorded over the run's days with what
// the run expected: per day when the site counts days in the run's
// timezone, else in total (with a warning), then the sampled visits.
func Verify(ctx context.Context, t Target, o Options) report.Verification {
	v := report.Verification{Status: report.VerifySkipped, Rows: []report.VerifyRow{}, SampleMismatches: []report.SampleMismatch{}}
	switch {
	case t.API == nil && t.Failed != "":
		v.Status, v.Reason = report.VerifyFailed, t.Failed
		return v
	case t.API == nil:
		v.Reason = t.Skip
		return v
	case t.Expected == nil:
		v.Reason = "the report has no expected figures for this target"
		return v
	}
	failed := func(what string, err error) report.Verification {
		v.Status, v.Reason = report.VerifyFailed, what+": "+err.Error()
		return v
	}
	site, err := t.API.Site(ctx)
	if err != nil {
		return failed("SitesManager.getSiteFromId", err)
	}
	v.SiteTimezone = site.Timezone
	exp := t.Expected
	runDays := make([]string, len(exp.Days))
	for i, d := range exp.Days {
		runDays[i] = d.Date
	}
	perDay := site.Timezone == exp.Timezone
	v.Days = siteDays(runDays, exp.Timezone, site.Timezone)
	if !perDay {
		v.Warnings = append(v.Warnings, fmt.Sprintf("the site's timezone %s differs from run.timezone %s: Matomo counts days in %s, so the figures are compared in total over the site's days %s, not day by day",
			site.Timezone, exp.Timezone, site.Timezone, strings.Join(v.Days, ", ")))
	}
	if len(v.Days) > 0 {
		// Invalidating needs admin access; a view token reads on, from
		// archives that may predate the run's last hits.
		if err := t.API.Invalidate(ctx, v.Days); err != nil {
			v.Warnings = append(v.Warnings, "CoreAdminHome.invalidateArchivedReports: "+err.Error()+
				": the days' archives were not rebuilt and may predate the run's last hits (it needs a token with admin access)")
		}
	}
	recorded, notArchived, err := readDays(ctx, t.API, v.Days, &o)
	if err != nil {
		return failed("reading the site's figures", err)
	}
	if len(notArchived) > 0 {
		v.Status = report.VerifyNotArchived
		v.Reason = fmt.Sprintf("%s: Matomo's raw data has visits but the archive answers none after invalidation, so browser-triggered archiving is off. Run ./console core:archive on the Matomo server, or use --wait DURATION to read again until the archive appears (waited %s)",
			strings.Join(notArchived, ", "), o.Wait)
		return v
	}
	if base := o.Baseline.Of(t.Name); base != nil {
		v.Warnings = append(v.Warnings, subtract(recorded, base)...)
		v.Baseline = true
	}
	v.Rows = rowsOf(exp, recorded, perDay)
	if err := checkSample(ctx, t.API, exp, v.Days, &o, &v); err != nil {
		return failed("Live.getLastVisitsDetails", err)
	}
	v.Status = report.VerifyVerified
	if !allMatch(v.Rows) || len(v.SampleMismatches) > 0 {
		v.Status = report.VerifyMismatch
		if exp.UnknownHits > 0 {
			v.Warnings = append(v.Warnings, fmt.Sprintf("%d hits were sent without a known answer: Matomo may or may not have recorded them", exp.UnknownHits))
		}
	}
	return v
}

// readDays reads every day, and lists those not archived.
func readDays(ctx context.Context, api API, days []string, o *Options) (map[string]kind.Figures, []string, error) {
	out := map[string]kind.Figures{}
	var notArchived []string
	for _, d := range days {
		f, archived, err := readDay(ctx, api, d, o)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", d, err)
		}
		if !archived {
			notArchived = append(notArchived, d)
		}
		out[d] = f
	}
	return out, notArchived, nil
}

// subtract takes the baseline out of each day; it warns of the days it
// has no baseline for.
func subtract(recorded map[string]kind.Figures, base *BaselineTarget) []string {
	var missing []string
	for d, f := range recorded {
		b, ok := base.Days[d]
		if !ok {
			missing = append(missing, d)
			continue
		}
		f.Sub(b)
		recorded[d] = f
	}
	if len(missing) == 0 {
		return nil
	}
	sortStrings(missing)
	return []string{"the baseline has no figures for " + strings.Join(missing, ", ") + ": compared without subtracting any"}
}

// rowsOf compares the days (when perDay) and the total over them.
func rowsOf(exp *report.Expected, recorded map[string]kind.Figures, perDay bool) []report.VerifyRow {
	var rows []report.VerifyRow
	var total kind.Figures
	for _, f := range recorded {
		total.Add(f)
	}
	if !perDay {
		return compareFigures("", exp.Total, total)
	}
	var expTotal kind.Figures
	for _, d := range exp.Days {
		rows = append(rows, compareFigures(d.Date, d.Figures, recorded[d.Date])...)
		expTotal.Add(d.Figures)
	}
	return append(rows, compareFigures("", expTotal, total)...)
}

// checkSample compares the sampled visits one by one.
func checkSample(ctx context.Context, api API, exp *report.Expected, days []string, o *Options, v *report.Verification) error {
	sample := exp.Sample
	if o.Sample > 0 && o.Sample < len(sample) {
		sample = sample[:o.Sample]
	}
	if len(sample) == 0 || len(days) == 0 {
		return nil
	}
	from, to := days[0], days[len(days)-1]
	for _, want := range sample {
		got, err := api.Visits(ctx, want.VisitorID, from, to)
		if err != nil {
			return fmt.Errorf("visitor %s: %w", want.VisitorID, err)
		}
		v.SampleChecked++
		if diff := compareVisit(want, got); diff != "" {
			v.SampleMismatches = append(v.SampleMismatches, report.SampleMismatch{VisitorID: want.VisitorID, Difference: diff})
		}
	}
	return nil
}
