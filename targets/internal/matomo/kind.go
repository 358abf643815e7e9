package matomo

import (
	"context"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Kind is the matomo target kind: a Matomo server at the target's url.
// Its url, site_url and api_url rules are the scenario format's own
// (scenario/check_targets.go), checked with positions before any kind is
// asked.
type Kind struct{}

// Check implements kind.Kind: the scenario check covers every rule but
// ip_header's.
func (Kind) Check(s *kind.Settings) []kind.Problem { return checkIPHeader(s) }

// Endpoint implements kind.Kind: the tracking URL, credentials redacted.
func (Kind) Endpoint(s *kind.Settings) string { return s.URL.String() }

// Open implements kind.Kind.
func (Kind) Open(s *kind.Settings, env kind.Env) (kind.Target, error) {
	return OpenAt(s, s.URL.Reveal(), env)
}

// ConfigOf derives the client configuration of a target from its settings,
// sending to url (the target's own, or the endpoint of a local server).
func ConfigOf(s *kind.Settings, url string, env kind.Env) Config {
	headers := make(map[string]string, len(s.Headers))
	for k, v := range s.Headers {
		headers[k] = v.Reveal()
	}
	return Config{
		URL: url, Token: s.Token.Reveal(), Timeout: s.Timeout.D(), InsecureSkipVerify: s.InsecureSkipVerify,
		Headers: headers, MaxConns: env.MaxConns, SiteID: s.SiteID, APIURL: s.APIURL.Reveal(),
		Delivery: Delivery(s.Delivery), IPHeader: s.IPHeader,
	}
}

// OpenAt opens a Matomo target that sends to url: the kind sink passes the
// endpoint of its in-process server.
func OpenAt(s *kind.Settings, url string, env kind.Env) (*Target, error) {
	c, err := New(ConfigOf(s, url, env))
	if err != nil {
		return nil, err
	}
	return &Target{Encoder: NewEncoder(s.Bulk > 0), client: c, siteID: s.SiteID, token: s.Token != ""}, nil
}

// Target is an opened Matomo target.
type Target struct {
	Encoder
	client *Client
	siteID int
	token  bool
}

// SendOne implements kind.Sender.
func (t *Target) SendOne(ctx context.Context, query, ua string) Result {
	return t.client.SendOne(ctx, query, ua)
}

// SendBulk implements kind.Sender.
func (t *Target) SendBulk(ctx context.Context, queries []string, ua string) Result {
	return t.client.SendBulk(ctx, queries, ua)
}

// Endpoint implements kind.Target.
func (t *Target) Endpoint() string { return t.client.Endpoint() }

// Close implements kind.Target.
func (t *Target) Close() error {
	t.client.Close()
	return nil
}

// Preflight implements kind.Target with Client.Preflight.
func (t *Target) Preflight(ctx context.Context) kind.Preflight {
	res := t.client.Preflight(ctx)
	p := kind.Preflight{Reachable: res.Reachable, Status: res.Status, Latency: res.Latency, Message: res.Message}
	switch {
	case !t.token:
		p.Token = "none"
	case res.TokenOK == nil:
		p.Token = "unchecked"
	case *res.TokenOK:
		p.Token = "ok"
	default:
		p.Token = "refused"
	}
	return p
}

// InvalidateArchives implements kind.Archives with Client.Invalidate.
func (t *Target) InvalidateArchives(ctx context.Context, days []string) (skipped string, err error) {
	if !t.token {
		return "no token_auth", nil
	}
	return "", t.client.Invalidate(ctx, t.siteID, days)
}
