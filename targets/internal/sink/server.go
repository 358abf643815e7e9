package sink

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Server serves a Sink on a free port of 127.0.0.1, as httptest.Server
// serves a handler, for tests of clients that send tracking requests: it
// keeps every hit with rec=1 the sink accepted (Recorded), and can refuse
// connections for a while (Down, Up). With Config.Faults it is the
// misbehaving Matomo of delivery tests.
type Server struct {
	URL string // tracking URL, http://127.0.0.1:PORT/matomo.php

	addr  string
	sink  *Sink
	srv   *http.Server
	onHit func(int, url.Values)

	mu       sync.Mutex
	recorded []url.Values
	ln       net.Listener
	conns    map[net.Conn]struct{}
	down     bool
	closed   bool
	serving  sync.WaitGroup
}

// StartServer starts a sink for cfg on 127.0.0.1. Its OnHit, if any, is
// called as well. Requests carrying hits are counted (Requests) even
// without faults.
func StartServer(cfg Config) (*Server, error) {
	s := &Server{onHit: cfg.OnHit, conns: map[net.Conn]struct{}{}}
	cfg.OnHit = s.record
	if cfg.Faults.Fault == nil {
		cfg.Faults.Fault = Always(Healthy)
	}
	inner, err := New(cfg)
	if err != nil {
		return nil, err
	}
	s.sink = inner
	s.srv = &http.Server{
		Handler:           inner,
		ConnState:         s.track,
		ReadHeaderTimeout: inner.limits.readHeader,
		ReadTimeout:       inner.limits.readHeader + inner.limits.body,
		IdleTimeout:       inner.limits.idle,
		ErrorLog:          log.New(io.Discard, "", 0), // resets and aborts are the point
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.addr = ln.Addr().String()
	s.URL = "http://" + s.addr + "/matomo.php"
	s.startServing(ln)
	return s, nil
}

func (s *Server) startServing(ln net.Listener) {
	s.ln = ln
	s.serving.Add(1)
	go func() {
		defer s.serving.Done()
		_ = s.srv.Serve(ln)
	}()
}

// Down closes the listener and every open connection: new connections are
// refused (ECONNREFUSED) until Up.
func (s *Server) Down() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down || s.closed {
		return
	}
	s.down = true
	_ = s.ln.Close()
	for c := range s.conns {
		_ = c.Close()
	}
}

// Up serves again on the same address.
func (s *Server) Up() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.down || s.closed {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return err
	}
	s.down = false
	s.startServing(ln)
	return nil
}

// DownFor calls Down now and Up after d, in the background.
func (s *Server) DownFor(d time.Duration) {
	s.Down()
	time.AfterFunc(d, func() { _ = s.Up() })
}

// Close stops the server and waits for its handlers.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	_ = s.srv.Close()
	s.serving.Wait()
}

func (s *Server) track(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.conns[c] = struct{}{}
	case http.StateHijacked, http.StateClosed:
		delete(s.conns, c)
	}
}

func (s *Server) record(site int, p url.Values) {
	if s.onHit != nil {
		s.onHit(site, p)
	}
	if p.Get("rec") != "1" {
		return // the preflight's request, which Matomo never records
	}
	s.mu.Lock()
	s.recorded = append(s.recorded, p)
	s.mu.Unlock()
}

// Recorded returns the hits with rec=1 the sink accepted (recorded, or
// excluded as a bot would be), in arrival order; the preflight's request
// is not among them.
func (s *Server) Recorded() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.recorded)
}

// Duplicates is Duplicates(s.Recorded()): empty when every hit reached
// the sink at most once.
func (s *Server) Duplicates() []string { return Duplicates(s.Recorded()) }

// DuplicateOrders is the number of orders the sink refused because their
// ec_id was recorded before: a repeated order never shows in Recorded.
func (s *Server) DuplicateOrders() int64 {
	return s.sink.Stats().Rejected["duplicate_order"].Count
}

// Requests is the number of tracking requests carrying hits received.
func (s *Server) Requests() int64 { return s.sink.HitRequests() }

// Faulted is the number of those that got a fault.
func (s *Server) Faulted() int64 { return s.sink.Faulted() }

// ReportingURL is the server's Reporting API, http://127.0.0.1:PORT/index.php.
func (s *Server) ReportingURL() string { return reportingURL(s.URL) }

// Stats is the sink's statistics (see Sink.Stats).
func (s *Server) Stats() Stats { return s.sink.Stats() }

// Sink is the sink behind the server.
func (s *Server) Sink() *Sink { return s.sink }

// HitKey identifies a hit by all its parameters: two different hits of a
// visit differ at least in rand, pv_id or their action, and a hit sent
// twice carries exactly the same parameters.
func HitKey(p url.Values) string { return p.Encode() }

// Duplicates returns the keys (HitKey) of the hits recorded more than once
// and the ec_id values of orders recorded more than once. Empty means
// every hit reached the sink at most once.
func Duplicates(hits []url.Values) []string {
	seen := map[string]int{}
	orders := map[string]int{}
	var dups []string
	for _, p := range hits {
		k := HitKey(p)
		if seen[k]++; seen[k] == 2 {
			dups = append(dups, k)
		}
		if id := p.Get("ec_id"); id != "" {
			if orders[id]++; orders[id] == 2 {
				dups = append(dups, "ec_id="+id)
			}
		}
	}
	return dups
}
