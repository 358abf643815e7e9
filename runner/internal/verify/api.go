// Package verify is delivery verification: it asks a target's Reporting
// API what the site recorded over a run's days and compares it, figure by
// figure and sampled visit by sampled visit, with what the run expected
// (report.Expected). docs/verify.md says what is compared and why a
// figure can differ. Rendering the result is runner/report's job.
package verify

import (
	"context"
	"net/http"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// API is the part of Matomo's Reporting API verification reads, for one
// site. targets.NewReportingClient implements it (the runner makes one per target).
type API interface {
	Version(ctx context.Context) (string, error)
	Site(ctx context.Context) (kind.SiteInfo, error)
	Day(ctx context.Context, date string) (kind.Figures, error)
	Invalidate(ctx context.Context, dates []string) error
	Counters(ctx context.Context, lastMinutes int) (kind.LiveCounters, error)
	Visits(ctx context.Context, visitorID, from, to string) ([]kind.LiveVisit, error)
	HasRawVisits(ctx context.Context, date string) (bool, error)
}

// Config is what a client of one site needs.
type Config struct {
	URL       string // the Reporting API's index.php, without token_auth
	SiteID    int
	Token     kind.Secret // the target's verify token
	HTTP      *http.Client
	UserAgent string
	// Settings are the target's, for what else its requests carry
	// (headers, TLS): targets.ReportingConfigOf reads them.
	Settings *kind.Settings
}
