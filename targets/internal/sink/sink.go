// Package sink is a tracking endpoint that answers as Matomo does, checks
// every hit strictly and aggregates what Matomo would record. It runs in
// process (for kind: sink targets and tests; Server serves it on a loopback
// port) or as the trafficinator sink command, and it can inject faults
// (Faults) to test a client's retries. docs/sink.md describes the checks,
// the records, the faults and where the sink differs from a real Matomo.
package sink

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Sink is a Matomo-conformant tracking endpoint. It is an http.Handler
// serving /matomo.php, /piwik.php, /index.php (the Reporting API, api.go),
// /stats and /healthz; Start also runs it
// on a listener of its own.
type Sink struct {
	sites   []site
	strict  bool
	maxBody int64
	now     func() time.Time
	onHit   func(site int, params url.Values)
	log     *hitLog
	seed    maphash.Seed
	limits  limits
	bodies  budget

	shards [numShards]shard
	orders [numOrderShards]orderShard
	ctr    counters

	ruleExamples   [numRules]atomic.Pointer[string]
	rejectExamples [numRejects]atomic.Pointer[string]

	pool sync.Pool // *reqState

	live     liveRing
	liveOff  bool // Config.MaxLiveVisits < 0: no action lists
	names    interner
	visitIDs atomic.Uint32
	mis      misbehave

	faults               Faults
	capacity             *capacity    // nil: no MaxRate and no Latency (capacity.go)
	overCapacity         atomic.Int64 // requests refused above MaxRate
	hitRequests, faulted atomic.Int64 // with faults on: requests carrying hits, of which faulted

	mu  sync.Mutex // guards srv
	srv *http.Server
}

// reqState is the per-request scratch space, pooled so that steady traffic
// allocates almost nothing.
type reqState struct {
	p                        params
	bulk                     bulkBody
	body                     []byte
	scratch, pageURL, refURL []byte
	liveKw, liveCat          []byte // strings of a hit Live lists (daily.go)
	liveCatLen               int
	tally                    tally
	invalid                  []int32
	out                      []byte // bulk response
	logBuf                   []byte

	// per-request memos (see clientIP, userAgent and isBot)
	remote     netip.Addr
	remoteDone bool
	uaRaw, ua  string // the last ua parameter as sent, and decoded
	uaRawDone  bool
	botUA      string // the last agent checked for a bot
	uaBot      bool
	uaDone     bool
}

// New returns a sink for cfg. It fails for an invalid site list (ids not
// positive or repeated, unknown timezones, empty tokens).
func New(cfg Config) (*Sink, error) {
	sites, err := resolveSites(cfg.Sites)
	if err != nil {
		return nil, err
	}
	if cfg.MaxBody < 0 || cfg.MaxBody > MaxMaxBody {
		return nil, fmt.Errorf("sink: body limit %d is not between 0 and %d bytes", cfg.MaxBody, MaxMaxBody)
	}
	s := &Sink{
		sites:   sites,
		strict:  cfg.Strict,
		maxBody: cfg.MaxBody,
		now:     cfg.Now,
		onHit:   cfg.OnHit,
		seed:    maphash.MakeSeed(),
		faults:  cfg.Faults,
	}
	if s.faults.Fault != nil && s.faults.Delay <= 0 {
		s.faults.Delay = DefaultFaultDelay
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBody
	}
	if s.limits, err = resolveLimits(cfg, s.maxBody); err != nil {
		return nil, err
	}
	s.bodies.limit = s.limits.bodyMemory
	if s.now == nil {
		s.now = time.Now
	}
	if s.capacity, err = newCapacity(cfg.MaxRate, cfg.Latency, s.now); err != nil {
		return nil, err
	}
	if cfg.Log != nil {
		s.log = &hitLog{w: cfg.Log}
	}
	for i := range s.shards {
		s.shards[i].init(len(sites))
	}
	for i := range s.orders {
		s.orders[i].ids = map[orderKey]struct{}{}
	}
	if s.mis, err = newMisbehave(cfg); err != nil {
		return nil, err
	}
	liveVisits := cfg.MaxLiveVisits
	if liveVisits <= 0 {
		s.liveOff = liveVisits < 0
		liveVisits = DefaultMaxLiveVisits
	}
	s.live.init(liveVisits, len(sites))
	s.names.init()
	s.pool.New = func() any { return new(reqState) }
	return s, nil
}

// ServeHTTP routes the sink's endpoints.
func (s *Sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/matomo.php", "/piwik.php":
		if s.capacity != nil && !s.admit(w) {
			return
		}
		if s.faults.Fault != nil {
			s.trackFaulty(w, r)
			return
		}
		s.track(w, r)
	case "/index.php":
		s.serveAPI(w, r)
	case "/stats":
		s.serveStats(w, r)
	case "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	default:
		http.NotFound(w, r)
	}
}

// Start serves the sink on addr ("" means 127.0.0.1:0, a free local port)
// and returns its tracking URL, http://HOST:PORT/matomo.php. The sink
// listens only where it is told.
func (s *Sink) Start(addr string) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return "", errors.New("sink: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.limits.readHeader,
		// The handler bounds the body with its own deadline (readBody);
		// this one is the backstop for a handler that never reads it.
		ReadTimeout: s.limits.readHeader + s.limits.body,
		IdleTimeout: s.limits.idle,
		// Client disconnects are normal under load; they are not news.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go s.srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed on Shutdown
	return "http://" + ln.Addr().String() + "/matomo.php", nil
}

// Shutdown stops a started sink, waiting for requests in flight until ctx
// ends. The statistics stay readable.
func (s *Sink) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Shutdown(ctx)
}

// Close stops a started sink, giving requests in flight five seconds.
func (s *Sink) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

func (s *Sink) getState() *reqState {
	return s.pool.Get().(*reqState)
}

// maxPooledBody: buffers grown by an unusually large body are dropped
// rather than kept alive in the pool.
const maxPooledBody = 1 << 20

func (s *Sink) putState(rs *reqState) {
	if cap(rs.body) > maxPooledBody {
		rs.body = nil
	}
	// Drop every reference into the body, so that the pool keeps no body
	// alive, and buffers grown by an unusually large one.
	clear(rs.bulk.kvs)
	clear(rs.bulk.decoded)
	rs.bulk.reset("")
	if cap(rs.bulk.entries) > 4096 || cap(rs.bulk.kvs) > 65536 || cap(rs.bulk.decoded) > 4096 {
		rs.bulk = bulkBody{}
	}
	if cap(rs.invalid) > 4096 || cap(rs.out) > 64<<10 {
		rs.invalid, rs.out = nil, nil
	}
	rs.p = params{}
	rs.logBuf = rs.logBuf[:0]
	rs.remoteDone, rs.uaDone, rs.uaRawDone = false, false, false
	rs.uaRaw, rs.ua, rs.botUA = "", "", ""
	s.pool.Put(rs)
}
