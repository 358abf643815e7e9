// Package matomo is the matomo target kind (Kind, kind.go): it encodes
// hits as Matomo query strings without allocating (encode.go, query.go)
// and sends them to a Matomo server (single hits and bulk requests) with
// retries, per-hit accounting and a token that never leaves the request
// body.
package matomo

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultMaxConns    = 32
	DefaultMaxAttempts = 3
	DefaultBaseDelay   = 100 * time.Millisecond
	DefaultMaxDelay    = 5 * time.Second
)

// Config describes one Matomo target.
type Config struct {
	// URL is the tracking endpoint, e.g. https://m.example.com/matomo.php.
	URL string
	// Token is token_auth. It is a secret: it is only ever written into
	// request bodies, never into a URL, a log line or an error message.
	Token string
	// Timeout bounds one request (connect, send, answer). Default 10s.
	Timeout time.Duration
	// InsecureSkipVerify turns TLS certificate verification off.
	InsecureSkipVerify bool
	// Headers are added to every request. The visitor's User-Agent and the
	// Content-Type chosen by the client take precedence; "Host" sets the
	// request's Host.
	Headers map[string]string
	// IPHeader, when set, is the header that carries each visit's IP (e.g.
	// X-Forwarded-For) instead of cip, which needs token_auth: a Matomo
	// behind a proxy it trusts (proxy_client_headers[] in its
	// config.ini.php) takes the visitor's address from it. Single hits only:
	// a bulk request carries many visitors.
	IPHeader string
	// MaxConns is the connection pool size; size it to the run's concurrency.
	MaxConns int
	// Retry is the retry policy of the requests Delivery allows to send
	// again.
	Retry RetryPolicy
	// Delivery says which requests may be sent again; default AtMostOnce
	// (delivery.go, docs/delivery.md).
	Delivery Delivery

	// SiteID is the idsite of the harmless Preflight tracking request.
	// Optional: without it the request carries no idsite.
	SiteID int
	// APIURL is the Reporting API endpoint (…/index.php) used by Preflight
	// to check the token. Default: index.php next to the tracking URL.
	APIURL string
}

// RetryPolicy is exponential backoff with full jitter.
type RetryPolicy struct {
	MaxAttempts int           // attempts in total, first one included; default 3
	BaseDelay   time.Duration // ceiling of the first backoff; default 100ms
	MaxDelay    time.Duration // cap of any backoff and of Retry-After; default 5s
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.Retry.MaxAttempts <= 0 {
		c.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if c.Retry.BaseDelay <= 0 {
		c.Retry.BaseDelay = DefaultBaseDelay
	}
	if c.Retry.MaxDelay <= 0 {
		c.Retry.MaxDelay = DefaultMaxDelay
	}
	if c.Delivery == "" {
		c.Delivery = AtMostOnce
	}
	if c.Retry.MaxDelay < c.Retry.BaseDelay {
		c.Retry.MaxDelay = c.Retry.BaseDelay
	}
	return c
}

// parseEndpoint checks an http(s) endpoint URL. Its error messages never
// quote the URL: a misconfigured one may carry a secret.
func parseEndpoint(field, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("matomo: %s is empty", field)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("matomo: %s is not a valid URL", field)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("matomo: %s must start with http:// or https://", field)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("matomo: %s has no host", field)
	}
	if u.Query().Has("token_auth") {
		return nil, fmt.Errorf("matomo: %s must not contain token_auth (it would leak into server logs); set the token separately", field)
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// displayURL is u without credentials, query and fragment: the only form of
// an endpoint that goes into error messages.
func displayURL(u *url.URL) string {
	v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return v.String()
}

// apiURLFor derives …/index.php from the tracking URL's directory.
func apiURLFor(track *url.URL) *url.URL {
	v := *track
	v.User = track.User
	v.RawQuery = ""
	dir := v.Path
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		dir = dir[:i+1]
	} else {
		dir = "/"
	}
	v.Path, v.RawPath = dir+"index.php", ""
	return &v
}

func checkHeaders(h map[string]string) error {
	for k, v := range h {
		if !validHeaderName(k) {
			return fmt.Errorf("matomo: header name %q is not valid", k)
		}
		if ck := http.CanonicalHeaderKey(k); ck == "Idempotency-Key" || ck == "X-Idempotency-Key" {
			// net/http would then resend a POST on a kept-alive connection
			// that broke after the write: a hit recorded twice, behind the
			// delivery rules' back (docs/delivery.md).
			return fmt.Errorf("matomo: header %q is not allowed: it lets requests that may have reached Matomo be sent again", k)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			// The value is not quoted: it may be a credential.
			return fmt.Errorf("matomo: value of header %q contains a line break or NUL", k)
		}
	}
	return nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
