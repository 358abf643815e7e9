package runner

import (
	"context"
	"math"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/runner/report"
)

// apis returns the Reporting API client of every target, opened (during
// the run), or why it has none.
func (rt *runtime) apis() map[string]client {
	out := map[string]client{}
	for _, t := range rt.targets {
		out[t.plan.Name] = openedAPI(t)
	}
	return out
}

// baseline reads what the targets' sites recorded before any traffic
// (apply --verify), unless the options bring a baseline file.
func (rt *runtime) baseline(ctx context.Context, opts Options) *Baseline {
	if opts.Verify.Baseline != nil {
		return opts.Verify.Baseline
	}
	b := &Baseline{Version: verify.BaselineVersion, Taken: time.Now().UTC()}
	clients := rt.apis()
	for _, t := range rt.targets {
		c := clients[t.plan.Name]
		bt := verify.ReadBaseline(ctx, t.plan.Name, t.plan.SiteID, c.api, runDays(rt.plan), rt.plan.Timezone, time.Now())
		if c.api == nil {
			bt.Skipped = c.skip + c.failed
		}
		b.Targets = append(b.Targets, bt)
	}
	return b
}

// verify runs verification on the finished run r before the targets
// close: a sink's Reporting API lives only as long as the run. A realtime
// run first waits, at most opts.Verify.Settle, for its last hits to be
// queryable.
func (rt *runtime) verify(ctx context.Context, r *report.Report, opts Options, base *Baseline) {
	if opts.Verify == nil {
		return
	}
	if ctx.Err() != nil {
		r.Warnings = append(r.Warnings, "verification: skipped, the run was interrupted")
		return
	}
	o := *opts.Verify
	o.Baseline = base
	clients := rt.apis()
	if rt.plan.Backfill == nil {
		bound := o.Settle
		if bound <= 0 {
			bound = DefaultSettle
		}
		minutes := min(int(math.Ceil(r.Run.DurationS/60))+1, 2880)
		for name, c := range clients {
			if c.api == nil {
				continue
			}
			if _, ok := verify.Settle(ctx, c.api, minutes, bound, time.Second, verify.SleepCtx); !ok {
				opts.Logf("verify: target %s: Live.getCounters still changed after %s; verifying anyway", name, bound)
			}
		}
	}
	verifyReport(ctx, r, func(name string) client { return clients[name] }, o)
}
