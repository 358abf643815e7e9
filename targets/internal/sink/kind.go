package sink

import (
	"context"

	"github.com/trafficinator/trafficinator/targets/internal/matomo"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Kind is the sink target kind: the Matomo kind sending to an in-process
// Matomo-conformant sink that this kind starts on a loopback port.
type Kind struct{}

// Check implements kind.Kind: the scenario check covers every rule (a
// kind: sink target takes no url).
func (Kind) Check(*kind.Settings) []kind.Problem { return nil }

// Endpoint implements kind.Kind.
func (Kind) Endpoint(*kind.Settings) string { return "built-in sink (127.0.0.1)" }

// Open implements kind.Kind: it starts the sink with the target's site and
// token, then opens the Matomo kind on the sink's endpoint.
func (Kind) Open(s *kind.Settings, env kind.Env) (kind.Target, error) {
	site := Site{ID: s.SiteID, Timezone: env.Timezone}
	if tok := s.Token.Reveal(); tok != "" {
		site.Tokens = []string{tok}
	}
	sk, err := New(Config{Sites: []Site{site}})
	if err != nil {
		return nil, err
	}
	endpoint, err := sk.Start("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	m, err := matomo.OpenAt(s, endpoint, env)
	if err != nil {
		_ = sk.Close()
		return nil, err
	}
	return &Target{Target: m, sink: sk, token: s.Token != "", api: reportingURL(endpoint)}, nil
}

// Target is an opened sink target: a Matomo target and its sink.
type Target struct {
	*matomo.Target
	sink  *Sink
	token bool
	api   string
}

// ReportingURL implements kind.ReportingAPI: the sink answers Matomo's
// Reporting API at index.php beside its tracking endpoint.
func (t *Target) ReportingURL() string { return t.api }

// Preflight implements kind.Target: the sink was configured with the
// target's very token, so a token is "ok" without asking.
func (t *Target) Preflight(ctx context.Context) kind.Preflight {
	p := t.Target.Preflight(ctx)
	if t.token {
		p.Token = "ok"
	}
	return p
}

// InvalidateArchives implements kind.Archives: there is nothing to do.
func (t *Target) InvalidateArchives(context.Context, []string) (string, error) {
	return "the built-in sink keeps no archives", nil
}

// Stats are the figures of the target's sink.
func (t *Target) Stats() Stats { return t.sink.Stats() }

// RecordedStats implements kind.Recorder: the sink's Stats.
func (t *Target) RecordedStats() any { return t.Stats() }

// Close implements kind.Target: the client, then the sink.
func (t *Target) Close() error {
	_ = t.Target.Close()
	return t.sink.Close()
}

var _ kind.ReportingAPI = (*Target)(nil)
