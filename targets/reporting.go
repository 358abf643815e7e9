package targets

import (
	"github.com/trafficinator/trafficinator/targets/internal/reporting"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Matomo's Reporting API, for verification (docs/verify.md): what a site
// recorded, read over index.php with a token that has view access.
type (
	// ReportingClient reads one Matomo site's Reporting API: Version,
	// Site, Day (the figures of a day), Counters, Invalidate, Visits (a
	// visitor's visits from Live) and HasRawVisits. Tokens travel in POST
	// bodies only and never appear in its errors.
	ReportingClient = reporting.Client
	// ReportingConfig says which site a ReportingClient reads: the
	// index.php URL, site id, token, HTTP client and User-Agent.
	ReportingConfig = reporting.Config
	// ReportingError is a failed Reporting API call: its Kind (see the
	// ReportingKind* constants), HTTP Status, Method and Matomo's Message.
	ReportingError = reporting.Error
	// ReportingErrorKind classes a ReportingError.
	ReportingErrorKind = reporting.ErrorKind
)

// The kinds of ReportingError.
const (
	// ReportingKindAuth: the token was refused, or has no access to the site.
	ReportingKindAuth = reporting.KindAuth
	// ReportingKindHTTP: no answer, or an HTTP status other than 200.
	ReportingKindHTTP = reporting.KindHTTP
	// ReportingKindDecode: an answer whose shape is not the method's.
	ReportingKindDecode = reporting.KindDecode
	// ReportingKindAPI: Matomo answered an error for another reason.
	ReportingKindAPI = reporting.KindAPI
)

// NewReportingClient checks cfg and returns a client of its site.
func NewReportingClient(cfg ReportingConfig) (*ReportingClient, error) { return reporting.New(cfg) }

// ReportingConfigOf is the configuration that reads the site of a
// target's settings at url (its ReportingURL) with token (its verify
// token), with the target's headers and TLS setting.
func ReportingConfigOf(s *kind.Settings, url string, token kind.Secret) ReportingConfig {
	return reporting.ConfigOf(s, url, token)
}

// reportingKind is a kind that knows its Reporting API URL from the
// settings alone.
type reportingKind interface {
	ReportingURL(s *kind.Settings) (string, bool)
}

// ReportingURL is the Reporting API URL (index.php) of a target's
// settings without opening it, for verifying a finished run: false for
// kinds without one (file) and for the sink, whose address exists only
// while a run has it open (an opened target says it through
// kind.ReportingAPI). The URL may carry basic-auth credentials: show it
// through kind.URL.
func ReportingURL(s *kind.Settings) (string, bool) {
	k, ok := kinds[s.Kind]
	if !ok {
		return "", false
	}
	r, ok := k.(reportingKind)
	if !ok {
		return "", false
	}
	return r.ReportingURL(s)
}
