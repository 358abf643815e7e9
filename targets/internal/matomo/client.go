package matomo

import (
	"context"
	"crypto/tls"
	"fmt"
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
	host     string // Host header override, "" for none
	// The header sets of requests to url and to apiURL (which may differ
	// in the credentials they carry).
	trackHeaders, apiHeaders *headerSets
	token                    string // token_auth, URL-encoded for form bodies
	rt                       *http.Transport
	deadline                 *deadlines // bounds each request to cfg.Timeout
	red                      redactor

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
	if !cfg.Delivery.valid() {
		return nil, fmt.Errorf("matomo: Delivery %q is not %q or %q", cfg.Delivery, AtMostOnce, AtLeastOnce)
	}
	if err := checkHeaders(cfg.Headers); err != nil {
		return nil, err
	}
	c := &Client{
		cfg:      cfg,
		url:      u,
		endpoint: displayURL(u),
		apiURL:   api,
		token:    url.QueryEscape(cfg.Token),
		red:      newRedactor(cfg.Token),
		sleep:    sleepCtx,
		deadline: newDeadlines(cfg.Timeout),
	}
	header := http.Header{}
	for k, v := range cfg.Headers {
		if http.CanonicalHeaderKey(k) == "Host" {
			c.host = v
			continue
		}
		header.Set(k, v)
	}
	c.trackHeaders, c.apiHeaders = newHeaderSets(header, u), newHeaderSets(header, api)
	c.rt = newTransport(cfg)
	return c, nil
}

func newHeaderSets(configured http.Header, u *url.URL) *headerSets {
	s := &headerSets{base: configured.Clone()}
	if auth := basicAuth(u); auth != "" && s.base.Get("Authorization") == "" {
		s.base.Set("Authorization", auth)
	}
	return s
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
func (c *Client) Close() { c.rt.CloseIdleConnections() }

// Endpoint is the tracking URL without credentials or query.
func (c *Client) Endpoint() string { return c.endpoint }

// do sends a POST of body to u, which is c.url or c.apiURL, under the
// target's timeout. It hands the request to the transport: http.Client
// would only add a copy of the header per request (for redirects, which
// are never followed: a redirect would turn the POST into a GET without
// body, or replay the token to another host) and a timer per request
// (deadline.go).
//
// wt, when not nil, learns whether the request was written. It wraps the
// shared deadline context, not the other way round: a context per request
// under the deadline would defeat its sharing.
func (c *Client) do(ctx context.Context, u *url.URL, contentType, ua, ip string, body *pooledBody, wt *writeTrace) (*http.Response, error) {
	rctx := c.deadline.context(ctx, time.Now())
	if wt != nil {
		rctx = wt.context(rctx)
	}
	return c.rt.RoundTrip(c.newRequest(rctx, u, contentType, ua, ip, body))
}

// newRequest builds a POST to u with body; ua overrides any configured
// User-Agent; ip, when not empty, goes in the ip_header.
func (c *Client) newRequest(ctx context.Context, u *url.URL, contentType, ua, ip string, body *pooledBody) *http.Request {
	host := c.host
	if host == "" {
		host = u.Host
	}
	headers := c.trackHeaders
	if u == c.apiURL {
		headers = c.apiHeaders
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
		Header:     withIP(headers.get(contentType, ua), c.cfg.IPHeader, ip),
		Host:       host,
		Body:       io.NopCloser(strings.NewReader(data)),
		GetBody: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(data)), nil
		},
		ContentLength: int64(len(data)),
	}
	return req.WithContext(ctx)
}

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
