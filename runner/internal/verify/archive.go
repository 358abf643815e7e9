package verify

import (
	"context"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// readDay reads one day's figures. A day whose archive answers no visit
// while the raw data has some was not archived: browser-triggered
// archiving is off, so the invalidated archive is not rebuilt on request.
// It is read again every o.Retry until o.Wait has passed (cron's
// core:archive may rebuild it meanwhile).
func readDay(ctx context.Context, api API, day string, o *Options) (f kind.Figures, archived bool, err error) {
	deadline := o.now().Add(o.Wait)
	for {
		f, err = api.Day(ctx, day)
		if err != nil || f.Visits > 0 {
			return f, true, err
		}
		raw, err := api.HasRawVisits(ctx, day)
		if err != nil || !raw {
			return f, true, err
		}
		left := deadline.Sub(o.now())
		if left <= 0 {
			return f, false, nil
		}
		if err := o.sleep(ctx, min(o.retry(), left)); err != nil {
			return f, false, err
		}
	}
}

// Settle waits until the site's visits of the last minutes stop changing
// (two equal Live.getCounters answers every interval), at most bound: the
// last hits of a run may still be queued when it ends. It says whether
// they settled.
func Settle(ctx context.Context, api API, lastMinutes int, bound, interval time.Duration, sleep func(context.Context, time.Duration) error) (kind.LiveCounters, bool) {
	deadline := time.Now().Add(bound)
	prev, err := api.Counters(ctx, lastMinutes)
	if err != nil {
		return prev, false
	}
	for time.Until(deadline) > 0 {
		if sleep(ctx, min(interval, time.Until(deadline))) != nil {
			return prev, false
		}
		cur, err := api.Counters(ctx, lastMinutes)
		if err != nil {
			return prev, false
		}
		if cur == prev {
			return cur, true
		}
		prev = cur
	}
	return prev, false
}
