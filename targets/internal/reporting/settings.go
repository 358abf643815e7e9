package reporting

import (
	"crypto/tls"
	"net/http"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// ConfigOf is the configuration that reads the site of a target's
// settings at url (the target's Reporting API URL) with token (its verify
// token): the target's headers and TLS setting apply as they do to its
// hits; its timeout does not (rebuilding an archive takes longer than a
// hit), DefaultTimeout does.
func ConfigOf(s *kind.Settings, url string, token kind.Secret) Config {
	cfg := Config{URL: url, SiteID: s.SiteID, Token: token, Headers: s.Headers}
	if s.InsecureSkipVerify {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}
		cfg.HTTP = &http.Client{Transport: tr, Timeout: DefaultTimeout}
	}
	return cfg
}
