package runner

import (
	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/targets"
)

// The verification engine knows the Reporting API by an interface
// (verify.API), so that its tests use a fake; the runner gives it the real
// client of package targets, and the way to find a target's API.
func init() {
	verify.NewClient = func(c verify.Config) (verify.API, error) {
		cl, err := targets.NewReportingClient(targets.ReportingConfigOf(c.Settings, c.URL, c.Token))
		if err != nil {
			return nil, err
		}
		return cl, nil
	}
	ReportingURL = targets.ReportingURL
}
