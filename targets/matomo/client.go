package matomo

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client sends hits to one Matomo target. It is safe for concurrent use;
// create one per target and share it.
type Client struct {
	cfg      Config
	url      *url.URL // tracking endpoint (read-only, shared by requests)
	endpoint string   // displayURL(url), for error messages
	apiURL   *url.URL
	host     string      // Host header override, "" for none
	header   http.Header // configured headers, cloned per request
	token    string      // token_auth, URL-encoded for form bodies
	hc       *http.Client
	red      redactor

	// sleep waits between attempts; tests replace it to observe delays.
	sleep func(ctx context.Context, d time.Duration) error
}

// New checks cfg, applies defaults and builds the connection pool.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	u, err := parseEndpoint("URL", cfg.URL)
	if err != nil {
		return nil, err
	}
	api := apiURLFor(u)
	if cfg.APIURL != "" {
		if api, err = parseEndpoint("APIURL", cfg.APIURL); err != nil {
			return nil, err
		}
	}
	if err := checkHeaders(cfg.Headers); err != nil {
		return nil, err
	}
	c := &Client{
		cfg:      cfg,
		url:      u,
		endpoint: displayURL(u),
		apiURL:   api,
		header:   http.Header{},
		token:    url.QueryEscape(cfg.Token),
		red:      newRedactor(cfg.Token),
		sleep:    sleepCtx,
	}
	for k, v := range cfg.Headers {
		if http.CanonicalHeaderKey(k) == "Host" {
			c.host = v
			continue
		}
		c.header.Set(k, v)
	}
	c.hc = &http.Client{
		Transport: newTransport(cfg),
		Timeout:   cfg.Timeout,
		// A redirect would turn a POST into a GET without body, or replay
		// the token to another host: report it instead of following it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c, nil
}

func newTransport(cfg Config) *http.Transport {
	dialer := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: cfg.InsecureSkipVerify, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   cfg.Timeout,
		MaxIdleConns:          cfg.MaxConns,
		MaxIdleConnsPerHost:   cfg.MaxConns,
		MaxConnsPerHost:       cfg.MaxConns,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// Close drops idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// Endpoint is the tracking URL without credentials or query.
func (c *Client) Endpoint() string { return c.endpoint }

// newRequest builds a POST to u with body; ua overrides any configured
// User-Agent.
func (c *Client) newRequest(ctx context.Context, u *url.URL, contentType, ua string, body *pooledBody) *http.Request {
	// The value slices of configured headers and constants are shared by
	// all requests: net/http only reads them. Only the map is per request.
	h := make(http.Header, len(c.header)+2)
	for k, v := range c.header {
		h[k] = v
	}
	h["Content-Type"] = contentTypes[contentType]
	if ua != "" {
		h["User-Agent"] = []string{ua}
	} else if len(h["User-Agent"]) == 0 {
		// Go's default agent is classified as a bot by Matomo and excluded.
		h["User-Agent"] = defaultUA
	}
	host := c.host
	if host == "" {
		host = u.Host
	}
	// The body goes to net/http as a strings.Reader: only for the
	// in-memory readers it knows does it write headers and body in one
	// syscall; any other reader costs a flush and a second packet per
	// request. The copy also frees the pooled buffer at once.
	data := string(body.b)
	req := &http.Request{
		Method:     http.MethodPost,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       host,
		Body:       io.NopCloser(strings.NewReader(data)),
		GetBody: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(data)), nil
		},
		ContentLength: int64(len(data)),
	}
	return req.WithContext(ctx)
}

var (
	contentTypes = map[string][]string{formType: {formType}, jsonType: {jsonType}}
	defaultUA    = []string{"Trafficinator"}
)

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
