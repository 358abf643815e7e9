package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsPath is where the server answers scrapes.
const MetricsPath = "/metrics"

// stopTimeout bounds how long Stop waits for scrapes in progress.
const stopTimeout = 5 * time.Second

// Server serves /metrics on one address. It answers from the moment Serve
// returns; the run's figures appear once a Source is attached, and stay
// (frozen at their final values) until Stop, so that a last scrape after
// the run sees exactly what the report says.
type Server struct {
	coll *collector
	http *http.Server
	ln   net.Listener
	done chan struct{} // closed when the serve loop has returned

	stopOnce sync.Once
	stopErr  error
}

// Serve listens on addr (host:port; port 0 picks a free one) and serves
// /metrics from a private registry: the run's figures plus the Go runtime
// and process metrics of trafficinator itself. src may be nil and attached
// later. The address is taken as given: binding to a non-loopback address
// exposes the metrics to the network, which is the user's choice.
func Serve(addr string, src Source) (*Server, error) {
	if addr == "" {
		return nil, errors.New("metrics address is empty (want host:port, e.g. 127.0.0.1:9464)")
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("metrics address %q: %w (want host:port, e.g. 127.0.0.1:9464)", addr, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics address %q: %w", addr, err)
	}
	s := &Server{coll: &collector{}, ln: ln, done: make(chan struct{})}
	s.coll.attach(src)
	s.http = &http.Server{Handler: newHandler(s.coll), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln) // returns http.ErrServerClosed after Stop
	}()
	return s, nil
}

// newHandler serves the registry at MetricsPath and nothing else.
func newHandler(c *collector) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(c, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle(MetricsPath, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// Attach makes the server show src from the next scrape on.
func (s *Server) Attach(src Source) { s.coll.attach(src) }

// Addr is the address the server listens on, with the port it got.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the scrape URL, for log lines.
func (s *Server) URL() string { return "http://" + s.Addr() + MetricsPath }

// Stop closes the listener, lets scrapes in progress finish (up to a few
// seconds) and returns once the server is down. Later calls return the
// first call's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		s.stopErr = s.http.Shutdown(ctx)
		if s.stopErr != nil {
			_ = s.http.Close()
		}
		<-s.done
	})
	return s.stopErr
}
