package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// BaselineVersion names the baseline file format.
const BaselineVersion = "trafficinator.baseline/v1"

// Baseline is what each target's site had recorded before a run, per
// site day: verification subtracts it, so that other traffic on the site
// does not count as the run's (docs/verify.md#baseline).
type Baseline struct {
	Version string           `json:"version"`
	Taken   time.Time        `json:"taken"`
	Targets []BaselineTarget `json:"targets"`
}

// BaselineTarget is the baseline of one target's site.
type BaselineTarget struct {
	Target   string                  `json:"target"`
	SiteID   int                     `json:"site_id"`
	Timezone string                  `json:"timezone"`
	Days     map[string]kind.Figures `json:"days"`
	// Skipped says why no figures were read (no token, an API error).
	Skipped string `json:"skipped,omitempty"`
}

// Of returns the baseline of the named target, or nil.
func (b *Baseline) Of(target string) *BaselineTarget {
	if b == nil {
		return nil
	}
	for i := range b.Targets {
		if b.Targets[i].Target == target {
			return &b.Targets[i]
		}
	}
	return nil
}

// DecodeBaseline reads a baseline file's content.
func DecodeBaseline(data []byte) (*Baseline, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a baseline file: %v", err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("baseline version %q: this build reads %s (write it again with verify --save-baseline)", b.Version, BaselineVersion)
	}
	for _, t := range b.Targets {
		for day := range t.Days {
			if _, err := time.Parse(dateLayout, day); err != nil {
				return nil, fmt.Errorf("baseline of target %q: day %q is not YYYY-MM-DD", t.Target, day)
			}
		}
	}
	return &b, nil
}

// ReadBaseline reads, before any traffic, the figures of the site days
// that verification will read: those covering runDays (dates in runTZ, a
// backfill's), or for a realtime run (runDays nil) today and tomorrow in
// the site's timezone. It invalidates them first, so that the archives
// are current.
func ReadBaseline(ctx context.Context, name string, siteID int, api API, runDays []string, runTZ string, now time.Time) BaselineTarget {
	out := BaselineTarget{Target: name, SiteID: siteID}
	if api == nil {
		out.Skipped = "no Reporting API (no verify_token, or a kind without one)"
		return out
	}
	site, err := api.Site(ctx)
	if err != nil {
		out.Skipped = "SitesManager.getSiteFromId: " + err.Error()
		return out
	}
	out.Timezone = site.Timezone
	days := siteDays(runDays, runTZ, site.Timezone)
	if len(runDays) == 0 {
		days = RealtimeDays(now, site.Timezone)
	}
	// Without admin access the archives are read as they are, as
	// verification does after the run.
	_ = api.Invalidate(ctx, days)
	out.Days = map[string]kind.Figures{}
	for _, d := range days {
		f, err := api.Day(ctx, d)
		if err != nil {
			out.Skipped, out.Days = "reading "+d+": "+err.Error(), nil
			return out
		}
		out.Days[d] = f
	}
	return out
}
