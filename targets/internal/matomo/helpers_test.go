package matomo

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// seen is one request as the test server received it.
type seen struct {
	Method, RequestURI, Host string
	Header                   http.Header
	Body                     string
}

// reply is a scripted answer; the last one repeats.
type reply struct {
	status int
	header map[string]string
	body   string
}

// recorder is a 127.0.0.1 test server that records requests and answers
// from a script.
type recorder struct {
	srv     *httptest.Server
	mu      sync.Mutex
	reqs    []seen
	replies []reply
}

func newRecorder(t *testing.T, replies ...reply) *recorder {
	t.Helper()
	r := &recorder{replies: replies}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

// record stores req and returns it with its position (1-based).
func (r *recorder) record(req *http.Request) (seen, int) {
	b, _ := io.ReadAll(req.Body)
	q := seen{req.Method, req.RequestURI, req.Host, req.Header.Clone(), string(b)}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, q)
	return q, len(r.reqs)
}

func (r *recorder) serve(w http.ResponseWriter, req *http.Request) {
	_, n := r.record(req)
	rep := reply{status: http.StatusNoContent}
	if len(r.replies) > 0 {
		rep = r.replies[min(n, len(r.replies))-1]
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (r *recorder) requests() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.reqs...)
}

// sleeps replaces a client's sleep hook: it records the delays asked for
// and returns at once (or the context's error).
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) install(c *Client) {
	c.sleep = func(ctx context.Context, d time.Duration) error {
		s.mu.Lock()
		s.d = append(s.d, d)
		s.mu.Unlock()
		return ctx.Err()
	}
}

func (s *sleeps) delays() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func mustNew(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// checkCounts asserts the per-hit accounting of a Result.
func checkCounts(t *testing.T, r Result, hits, ok, rejected, failed, attempts, status int, kind string) {
	t.Helper()
	if r.Hits != hits || r.OK != ok || r.Rejected != rejected || r.Failed != failed {
		t.Errorf("hits/ok/rejected/failed = %d/%d/%d/%d, want %d/%d/%d/%d (err %v)",
			r.Hits, r.OK, r.Rejected, r.Failed, hits, ok, rejected, failed, r.Err)
	}
	if r.OK+r.Rejected+r.Failed+r.Unknown != r.Hits {
		t.Errorf("ok+rejected+failed+unknown = %d, want the %d hits", r.OK+r.Rejected+r.Failed+r.Unknown, r.Hits)
	}
	if r.Attempts != attempts {
		t.Errorf("Attempts = %d, want %d", r.Attempts, attempts)
	}
	if r.Status != status {
		t.Errorf("Status = %d, want %d", r.Status, status)
	}
	if r.ErrKind != kind {
		t.Errorf("ErrKind = %q, want %q (err %v)", r.ErrKind, kind, r.Err)
	}
	if (kind == "") != (r.Err == nil) {
		t.Errorf("Err = %v with ErrKind %q", r.Err, kind)
	}
}

// checkUnknown asserts the hits whose fate is unknown.
func checkUnknown(t *testing.T, r Result, unknown int) {
	t.Helper()
	if r.Unknown != unknown {
		t.Errorf("Unknown = %d, want %d", r.Unknown, unknown)
	}
}
