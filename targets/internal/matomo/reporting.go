package matomo

import (
	"net/url"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// ReportingURL implements kind.ReportingAPI: the target's api_url when set,
// else index.php beside its tracking URL (https://x/m/matomo.php gives
// https://x/m/index.php). Like the tracking URL, it may carry user
// information for HTTP basic authentication, which the Reporting API needs
// as well: show it through kind.URL.
func (t *Target) ReportingURL() string { return t.client.apiURL.String() }

// ReportingURL is the Reporting API URL of a matomo target's settings, by
// the rule of Target.ReportingURL, without opening the target (to verify a
// finished run's report). It is false when the settings have no usable
// URL.
func (Kind) ReportingURL(s *kind.Settings) (string, bool) {
	if s.APIURL != "" {
		return s.APIURL.Reveal(), true
	}
	u, err := url.Parse(s.URL.Reveal())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return apiURLFor(u).String(), true
}

var _ kind.ReportingAPI = (*Target)(nil)
