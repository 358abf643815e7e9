package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// nextSteps tells how backfilled data reaches Matomo's reports.
const nextSteps = "Matomo shows backfilled days only after their archives are rebuilt: invalidate the " +
	"archives of the window (CoreAdminHome.invalidateArchivedReports, or " +
	"`./console core:invalidate-report-data --dates=FROM,TO --sites=ID`), then re-archive " +
	"(`./console core:archive`). run.backfill.invalidate: true does the invalidation for you."

// backfillReport assembles the day rows and, with invalidate: true,
// invalidates the archives of every day that got visits (complete or not,
// resumed ones included) on every Matomo target with a token.
func (rt *runtime) backfillReport(ctx context.Context, days []report.DayRow) *report.BackfillReport {
	br := &report.BackfillReport{Timezone: rt.plan.Timezone, Days: days, NextSteps: nextSteps, Auto: rt.auto}
	if !rt.plan.Backfill.Invalidate {
		return br
	}
	var dates []string
	for _, d := range days {
		if d.OK+d.Rejected+d.Unknown > 0 {
			dates = append(dates, d.Date)
		}
	}
	for _, t := range rt.targets {
		if !t.plan.Enabled {
			continue
		}
		inv := report.Invalidation{Target: t.plan.Name}
		a, ok := t.target.(kind.Archives)
		if !ok {
			inv.Detail = "skipped: a " + t.plan.Kind + " target keeps no archives"
			br.Invalidated = append(br.Invalidated, inv)
			continue
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		skipped, err := a.InvalidateArchives(cctx, dates)
		cancel()
		switch {
		case skipped != "":
			inv.Detail = "skipped: " + skipped
		case err != nil:
			inv.Detail = err.Error()
		default:
			inv.OK = true
			inv.Detail = fmt.Sprintf("invalidated %d day(s): %s", len(dates), strings.Join(dates, ","))
		}
		br.Invalidated = append(br.Invalidated, inv)
	}
	return br
}
