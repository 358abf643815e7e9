package loadtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trafficinator/trafficinator/targets"
)

// SinkConfig says how to start a Sink.
type SinkConfig struct {
	SiteID int    // default 1
	Token  string // token_auth with write access; "" for none
	// Capture keeps every accepted hit (Hits) and checks every request for
	// the token (TokenInURL, TokenNotInBody). Benchmarks leave it off: it
	// costs a copy of each body.
	Capture bool
	// Delay is added before each tracking request is answered: a slow
	// Matomo.
	Delay time.Duration
	// OnHit, when set, sees every accepted hit as it arrives, with the
	// time; for measurements that need less than Capture keeps.
	OnHit func(p url.Values, at time.Time)
}

// Hit is one hit the sink accepted, with when it arrived.
type Hit struct {
	Params   url.Values
	Received time.Time
}

// Sink is a targets/sink endpoint served on 127.0.0.1 by httptest.
type Sink struct {
	*targets.Sink
	URL    string // tracking URL, http://127.0.0.1:PORT/matomo.php
	server *httptest.Server
	cfg    SinkConfig

	mu   sync.Mutex
	hits []Hit

	requests       atomic.Int64 // tracking requests seen by the wrapper
	tokenInURL     atomic.Int64 // requests whose URL mentions token_auth
	tokenNotInBody atomic.Int64 // POSTs whose body does not carry the token
}

// StartSink starts a sink for one site.
func StartSink(cfg SinkConfig) (*Sink, error) {
	if cfg.SiteID == 0 {
		cfg.SiteID = 1
	}
	s := &Sink{cfg: cfg}
	site := targets.SinkSite{ID: cfg.SiteID}
	if cfg.Token != "" {
		site.Tokens = []string{cfg.Token}
	}
	sc := targets.SinkOptions{Sites: []targets.SinkSite{site}}
	if cfg.Capture || cfg.OnHit != nil {
		sc.OnHit = s.record
	}
	inner, err := targets.NewSink(sc)
	if err != nil {
		return nil, err
	}
	s.Sink = inner
	var h http.Handler = inner
	if cfg.Capture || cfg.Delay > 0 {
		h = http.HandlerFunc(s.wrap)
	}
	s.server = httptest.NewServer(h)
	s.URL = s.server.URL + "/matomo.php"
	return s, nil
}

// Close stops the server.
func (s *Sink) Close() { s.server.Close() }

func (s *Sink) record(_ int, p url.Values) {
	now := time.Now()
	if s.cfg.OnHit != nil {
		s.cfg.OnHit(p, now)
	}
	if !s.cfg.Capture {
		return
	}
	s.mu.Lock()
	s.hits = append(s.hits, Hit{Params: p, Received: now})
	s.mu.Unlock()
}

// wrap delays the answer and, when capturing, checks where the token is.
func (s *Sink) wrap(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Delay > 0 {
		select {
		case <-time.After(s.cfg.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if s.cfg.Capture && (r.URL.Path == "/matomo.php" || r.URL.Path == "/piwik.php") {
		s.requests.Add(1)
		if strings.Contains(strings.ToLower(r.URL.RawQuery), "token_auth") {
			s.tokenInURL.Add(1)
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if s.cfg.Token != "" && !bodyHasToken(body, s.cfg.Token) {
			s.tokenNotInBody.Add(1)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	s.Sink.ServeHTTP(w, r)
}

// bodyHasToken: a form body carries token_auth=TOKEN, a bulk body
// "token_auth":"TOKEN".
func bodyHasToken(body []byte, token string) bool {
	form := "token_auth=" + url.QueryEscape(token)
	for _, pair := range bytes.Split(body, []byte("&")) {
		if string(pair) == form {
			return true
		}
	}
	return bytes.Contains(body, []byte(`"token_auth":"`+token+`"`))
}

// Hits returns a copy of the hits accepted so far, in arrival order.
func (s *Sink) Hits() []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits...)
}

// Requests is the number of tracking requests seen (Capture only).
func (s *Sink) Requests() int64 { return s.requests.Load() }

// TokenInURL is the number of requests whose URL held token_auth.
func (s *Sink) TokenInURL() int64 { return s.tokenInURL.Load() }

// TokenNotInBody is the number of requests whose body lacked the token.
func (s *Sink) TokenNotInBody() int64 { return s.tokenNotInBody.Load() }
