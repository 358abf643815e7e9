package web

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownTimeout bounds how long Stop waits for requests in progress.
const shutdownTimeout = 5 * time.Second

// Server is a page's HTTP server: it listens only where CheckBind allows,
// and its Stop ends the hubs' endless streams before shutting down.
type Server struct {
	http *http.Server
	ln   net.Listener
	hubs []*Hub
	done chan struct{}

	once sync.Once
	err  error
}

// Listen checks addr against the bind rule, listens on it and serves h
// (which the caller has wrapped in its Guard). hubs are closed first on
// Stop.
func Listen(addr, token string, h http.Handler, hubs ...*Hub) (*Server, error) {
	if err := CheckBind(addr, token); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		http: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute},
		ln:   ln, hubs: hubs, done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln) // http.ErrServerClosed after Stop
	}()
	return s, nil
}

// Addr is the address listened on, with the port it got.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the page's address, without any token.
func (s *Server) URL() string { return "http://" + s.Addr() + "/" }

// Stop closes the hubs, lets requests in progress finish (a few seconds at
// most) and returns once the server is down. Later calls return the first
// call's result.
func (s *Server) Stop() error {
	s.once.Do(func() {
		for _, h := range s.hubs {
			h.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if s.err = s.http.Shutdown(ctx); s.err != nil {
			_ = s.http.Close()
		}
		<-s.done
	})
	return s.err
}
