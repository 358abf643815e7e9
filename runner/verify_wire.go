package runner

import (
	"github.com/trafficinator/trafficinator/runner/internal/verify"
	"github.com/trafficinator/trafficinator/targets"
)

// The verification engine knows the Reporting API by an interface
// (verify.API); these are the real client and the way to find a target's
// API from its settings alone (trafficinator verify, after the run).
// Variables, so that the runner's tests put a fake in their place.
var (
	newReportingAPI = func(c verify.Config) (verify.API, error) {
		return targets.NewReportingClient(targets.ReportingConfigOf(c.Settings, c.URL, c.Token))
	}
	reportingURL = targets.ReportingURL
)
