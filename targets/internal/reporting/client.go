package reporting

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/redact"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// MaxAnswer bounds the bytes read of one answer: a day of Live visits of a
// large run is a few MiB; anything beyond this is not an answer to parse.
const MaxAnswer = 32 << 20

// DefaultTimeout bounds each request when Config.HTTP is nil. Rebuilding a
// day's archive (the first read after an invalidation) can take a while on
// a large site; callers bound the whole verification with their context.
const DefaultTimeout = 5 * time.Minute

// Config says which Matomo site a Client reads.
type Config struct {
	// URL is the Reporting API endpoint, …/index.php. It may carry user
	// information for HTTP basic authentication; messages never show it.
	URL string
	// SiteID is the idSite every method reads.
	SiteID int
	// Token is the token_auth; it travels in POST bodies only.
	Token kind.Secret
	// HTTP sends the requests; nil uses a client with DefaultTimeout.
	// Redirects are never followed (a 307 would replay the token to
	// another URL): a 3xx answer is an error.
	HTTP *http.Client
	// UserAgent of the requests; "" sends "Trafficinator verify".
	UserAgent string
	// Headers are sent with every request, like a matomo target's
	// headers (a Host, an access proxy's credentials).
	Headers map[string]kind.Secret
}

// Client reads one Matomo site's Reporting API. It is safe for concurrent
// use.
type Client struct {
	url     *url.URL
	display string // url without credentials, for messages
	site    int
	token   kind.Secret
	http    *http.Client
	ua      string
	headers map[string]kind.Secret
	red     redact.Redactor
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("reporting: URL %s is not an http(s) URL", kind.URL(cfg.URL))
	}
	if cfg.SiteID <= 0 {
		return nil, fmt.Errorf("reporting: SiteID %d is not a Matomo site id (1 or more)", cfg.SiteID)
	}
	hc := http.Client{Timeout: DefaultTimeout}
	if cfg.HTTP != nil {
		hc = *cfg.HTTP
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ua := cfg.UserAgent
	if ua == "" {
		ua = "Trafficinator verify"
	}
	u.RawQuery, u.Fragment = "", ""
	return &Client{
		url: u, display: kind.URL(u.String()).String(), site: cfg.SiteID, token: cfg.Token,
		http: &hc, ua: ua, headers: maps.Clone(cfg.Headers), red: redact.New(cfg.Token.Reveal()),
	}, nil
}

// URL is the endpoint without credentials, for messages.
func (c *Client) URL() string { return c.display }

// SiteID is the site the client reads.
func (c *Client) SiteID() int { return c.site }

// params are the parameters of one API call besides module, format and
// token_auth, in the order they are sent.
type params [][2]string

// siteDay are the parameters of a day report of the client's site.
func (c *Client) siteDay(date string) params {
	return params{{"idSite", strconv.Itoa(c.site)}, {"period", "day"}, {"date", date}}
}

// form is the request body of method with p: everything, the token
// included, goes in the body, so that no URL (in logs of proxies and
// servers) ever carries it.
func (c *Client) form(method string, p params) string {
	var b strings.Builder
	b.WriteString("module=API&format=JSON&method=")
	b.WriteString(url.QueryEscape(method))
	for _, kv := range p {
		b.WriteByte('&')
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[1]))
	}
	if tok := c.token.Reveal(); tok != "" {
		b.WriteString("&token_auth=")
		b.WriteString(url.QueryEscape(tok))
	}
	return b.String()
}

// call POSTs method and returns the answer's body once it is known not to
// be an error: not HTML, HTTP 200, not {"result":"error"}.
func (c *Client) call(ctx context.Context, method string, p params) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url.String(), strings.NewReader(c.form(method, p)))
	if err != nil {
		return nil, c.newError(KindHTTP, 0, method, "building the request failed", nil)
	}
	for k, v := range c.headers {
		if http.CanonicalHeaderKey(k) == "Host" {
			req.Host = v.Reveal()
			continue
		}
		req.Header.Set(k, v.Reveal())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", c.ua)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.newError(KindHTTP, 0, method, "request failed", transportCause(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return nil, c.newError(KindHTTP, resp.StatusCode, method, "reading the answer failed", transportCause(err))
	}
	if len(body) > MaxAnswer {
		return nil, c.newError(KindDecode, resp.StatusCode, method, fmt.Sprintf("the answer is larger than %d MiB", MaxAnswer>>20), nil)
	}
	if e := answerError(body); e != nil {
		return nil, c.newError(e.Kind, resp.StatusCode, method, e.Message, nil)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, c.newError(KindHTTP, resp.StatusCode, method, statusDetail(resp.StatusCode), nil)
	}
	return body, nil
}

// decode runs a parser over method's answer, turning its failure into a
// decode error.
func decode[T any](ctx context.Context, c *Client, method string, p params, parse func([]byte) (T, error)) (T, error) {
	body, err := c.call(ctx, method, p)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := parse(body)
	if err != nil {
		var zero T
		return zero, c.newError(KindDecode, http.StatusOK, method, err.Error(), nil)
	}
	return v, nil
}

// transportCause strips *url.Error, whose text repeats the URL.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

func statusDetail(status int) string {
	if status >= 300 && status < 400 {
		return fmt.Sprintf("HTTP %d redirect; set api_url to the final index.php URL", status)
	}
	return fmt.Sprintf("HTTP %d", status)
}
