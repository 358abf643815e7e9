package loadtest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/sink"
)

// Fault is what a FaultSink does with one tracking request.
type Fault uint8

const (
	// Healthy: the sink answers as Matomo would.
	Healthy Fault = iota
	// SlowAnswer: the sink records the hits, then the answer waits
	// FaultConfig.Delay (longer than the client's timeout): the client
	// gives up on a request Matomo has recorded.
	SlowAnswer
	// ResetAfterRead: the sink reads and records the hits, then the
	// connection is reset (SO_LINGER 0, an RST) instead of an answer.
	ResetAfterRead
	// Throttle: 429 Too Many Requests with FaultConfig.RetryAfter; nothing
	// is recorded, as Matomo (or a proxy in front of it) does.
	Throttle
	// Unavailable: 503 Service Unavailable with FaultConfig.RetryAfter;
	// nothing is recorded.
	Unavailable
)

// FaultConfig says how to start a FaultSink.
type FaultConfig struct {
	SiteID int    // default 1
	Token  string // token_auth with write access; "" for none
	// Fault picks the fault of the n-th tracking request carrying hits
	// (0-based, in arrival order); nil is Healthy for every request.
	// Requests without rec=1 (the preflight) are never faulted.
	Fault func(n int) Fault
	// Delay is how long a SlowAnswer waits before answering; default 2s.
	Delay time.Duration
	// RetryAfter is the Retry-After header of Throttle and Unavailable
	// answers; "" sends none.
	RetryAfter string
}

// Always faults every request.
func Always(f Fault) func(int) Fault { return func(int) Fault { return f } }

// FirstN faults the first n requests and serves the rest.
func FirstN(n int, f Fault) func(int) Fault {
	return func(i int) Fault {
		if i < n {
			return f
		}
		return Healthy
	}
}

// FaultSink is a targets/sink endpoint on 127.0.0.1 behind a server that
// injects faults, records every hit the sink accepted (Recorded) and can
// refuse connections for a while (Down, Up). Tests of delivery semantics
// check what it recorded against what the report says.
type FaultSink struct {
	URL  string // tracking URL, http://127.0.0.1:PORT/matomo.php
	addr string
	cfg  FaultConfig
	sink *sink.Sink
	srv  *http.Server

	requests atomic.Int64 // tracking requests carrying hits
	faulted  atomic.Int64 // of which faulted

	mu       sync.Mutex
	recorded []url.Values
	ln       net.Listener
	conns    map[net.Conn]struct{}
	down     bool
	closed   bool
	serving  sync.WaitGroup
}

// StartFaultSink starts a fault-injecting sink for one site.
func StartFaultSink(cfg FaultConfig) (*FaultSink, error) {
	if cfg.SiteID == 0 {
		cfg.SiteID = 1
	}
	if cfg.Delay <= 0 {
		cfg.Delay = 2 * time.Second
	}
	if cfg.Fault == nil {
		cfg.Fault = Always(Healthy)
	}
	f := &FaultSink{cfg: cfg, conns: map[net.Conn]struct{}{}}
	site := sink.Site{ID: cfg.SiteID}
	if cfg.Token != "" {
		site.Tokens = []string{cfg.Token}
	}
	inner, err := sink.New(sink.Config{Sites: []sink.Site{site}, OnHit: f.record})
	if err != nil {
		return nil, err
	}
	f.sink = inner
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serve), ConnState: f.track, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f.addr = ln.Addr().String()
	f.URL = "http://" + f.addr + "/matomo.php"
	f.startServing(ln)
	return f, nil
}

func (f *FaultSink) startServing(ln net.Listener) {
	f.ln = ln
	f.serving.Add(1)
	go func() {
		defer f.serving.Done()
		_ = f.srv.Serve(ln)
	}()
}

// Down closes the listener and every open connection: new connections are
// refused (ECONNREFUSED) until Up.
func (f *FaultSink) Down() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down || f.closed {
		return
	}
	f.down = true
	_ = f.ln.Close()
	for c := range f.conns {
		_ = c.Close()
	}
}

// Up serves again on the same address.
func (f *FaultSink) Up() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.down || f.closed {
		return nil
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	f.down = false
	f.startServing(ln)
	return nil
}

// DownFor calls Down now and Up after d, in the background.
func (f *FaultSink) DownFor(d time.Duration) {
	f.Down()
	time.AfterFunc(d, func() { _ = f.Up() })
}

// Close stops the server and waits for its handlers.
func (f *FaultSink) Close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	_ = f.srv.Close()
	f.serving.Wait()
}

func (f *FaultSink) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch state {
	case http.StateNew:
		f.conns[c] = struct{}{}
	case http.StateHijacked, http.StateClosed:
		delete(f.conns, c)
	}
}

func (f *FaultSink) record(_ int, p url.Values) {
	if p.Get("rec") != "1" {
		return // the preflight's request, which Matomo never records
	}
	f.mu.Lock()
	f.recorded = append(f.recorded, p)
	f.mu.Unlock()
}

// Recorded returns the hits with rec=1 the sink accepted (recorded, or
// excluded as a bot would be), in arrival order; the preflight's request
// is not among them.
func (f *FaultSink) Recorded() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.recorded)
}

// Requests is the number of tracking requests carrying hits received.
func (f *FaultSink) Requests() int64 { return f.requests.Load() }

// Faulted is the number of those that got a fault.
func (f *FaultSink) Faulted() int64 { return f.faulted.Load() }

// Sink is the sink behind the faults (its counters, its statistics).
func (f *FaultSink) Sink() *sink.Sink { return f.sink }

func (f *FaultSink) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/matomo.php" && r.URL.Path != "/piwik.php" {
		f.sink.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away mid-body: nothing recorded
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !carriesHits(body, r.URL.RawQuery) {
		f.sink.ServeHTTP(w, r)
		return
	}
	fault := f.cfg.Fault(int(f.requests.Add(1) - 1))
	if fault != Healthy {
		f.faulted.Add(1)
	}
	switch fault {
	case Throttle, Unavailable:
		if f.cfg.RetryAfter != "" {
			w.Header().Set("Retry-After", f.cfg.RetryAfter)
		}
		status := http.StatusTooManyRequests
		if fault == Unavailable {
			status = http.StatusServiceUnavailable
		}
		w.WriteHeader(status)
	case SlowAnswer:
		rec := httptest.NewRecorder()
		f.sink.ServeHTTP(rec, r)
		t := time.NewTimer(f.cfg.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
		copyAnswer(w, rec)
	case ResetAfterRead:
		f.sink.ServeHTTP(httptest.NewRecorder(), r)
		reset(w)
	default:
		f.sink.ServeHTTP(w, r)
	}
}

// carriesHits: a form with rec=1 or a bulk body. The preflight's request
// has no rec=1.
func carriesHits(body []byte, rawQuery string) bool {
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		return true
	}
	for _, s := range []string{string(body), rawQuery} {
		if q, err := url.ParseQuery(s); err == nil && q.Get("rec") == "1" {
			return true
		}
	}
	return false
}

func copyAnswer(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// reset closes the request's connection with an RST: SO_LINGER 0 drops
// the unsent data and aborts the connection.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("loadtest: the response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

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

// DuplicateOrders is the number of orders the sink refused because their
// ec_id was recorded before: a repeated order never shows in Recorded.
func (f *FaultSink) DuplicateOrders() int64 {
	return f.sink.Stats().Rejected["duplicate_order"].Count
}

// StartFaultSinkT starts a fault sink for t: a start error fails the test,
// and the sink is closed when the test ends.
func StartFaultSinkT(t testing.TB, cfg FaultConfig) *FaultSink {
	t.Helper()
	f, err := StartFaultSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}
