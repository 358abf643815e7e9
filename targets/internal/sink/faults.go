package sink

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Fault is what the sink does with one tracking request carrying hits,
// instead of (or besides) answering as Matomo would. Faults let a client's
// retries, timeouts and delivery accounting be tested against a server
// that misbehaves the way real ones do.
type Fault uint8

const (
	// Healthy: the sink answers as Matomo would.
	Healthy Fault = iota
	// SlowAnswer: the sink records the hits, then the answer waits
	// Faults.Delay (longer than the client's timeout): the client gives up
	// on a request Matomo has recorded.
	SlowAnswer
	// ResetAfterRead: the sink reads and records the hits, then the
	// connection is reset (SO_LINGER 0, an RST) instead of an answer.
	ResetAfterRead
	// Throttle: 429 Too Many Requests with Faults.RetryAfter; nothing is
	// recorded, as Matomo (or a proxy in front of it) does.
	Throttle
	// Unavailable: 503 Service Unavailable with Faults.RetryAfter; nothing
	// is recorded.
	Unavailable
)

// faultNames are the names of the faults on the command line and in
// messages, indexed by Fault.
var faultNames = [...]string{"healthy", "slow-answer", "reset-after-read", "throttle", "unavailable"}

// String is the fault's name: healthy, slow-answer, reset-after-read,
// throttle or unavailable.
func (f Fault) String() string {
	if int(f) < len(faultNames) {
		return faultNames[f]
	}
	return fmt.Sprintf("Fault(%d)", uint8(f))
}

// ParseFault reads a fault's name (see Fault.String); "healthy" is not
// accepted, since asking for no fault is leaving the setting out.
func ParseFault(name string) (Fault, error) {
	for i, n := range faultNames {
		if i > 0 && n == name {
			return Fault(i), nil
		}
	}
	return Healthy, fmt.Errorf("unknown fault %q (want %s)", name, strings.Join(faultNames[1:], ", "))
}

// DefaultFaultDelay is how long a SlowAnswer waits when Faults.Delay is 0.
const DefaultFaultDelay = 2 * time.Second

// Faults say which tracking requests the sink faults, and how. The zero
// value injects no fault and costs nothing.
type Faults struct {
	// Fault picks the fault of the n-th tracking request carrying hits
	// (0-based, in arrival order; see Always and FirstN); nil injects none.
	// Requests without hits (no rec=1, as a preflight's) are never faulted.
	Fault func(n int) Fault
	// Delay is how long a SlowAnswer waits before answering; 0 means
	// DefaultFaultDelay.
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

// HitRequests is the number of tracking requests carrying hits received
// while faults were on (Config.Faults); 0 without faults.
func (s *Sink) HitRequests() int64 { return s.hitRequests.Load() }

// Faulted is the number of those requests that got a fault.
func (s *Sink) Faulted() int64 { return s.faulted.Load() }

// trackFaulty answers a tracking request when faults are on: it reads the
// body to see whether the request carries hits, picks the request's fault
// and applies it around track.
func (s *Sink) trackFaulty(w http.ResponseWriter, r *http.Request) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.limits.body))
	// One byte beyond the limit lets track answer 413 as it would.
	body, err := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
	if err != nil {
		return // the client went away mid-body: nothing recorded
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !carriesHits(body, r.URL.RawQuery) {
		s.track(w, r)
		return
	}
	fault := s.faults.Fault(int(s.hitRequests.Add(1) - 1))
	if fault != Healthy {
		s.faulted.Add(1)
	}
	switch fault {
	case Throttle, Unavailable:
		if s.faults.RetryAfter != "" {
			w.Header().Set("Retry-After", s.faults.RetryAfter)
		}
		status := http.StatusTooManyRequests
		if fault == Unavailable {
			status = http.StatusServiceUnavailable
		}
		w.WriteHeader(status)
	case SlowAnswer:
		var held heldAnswer
		s.track(&held, r)
		t := time.NewTimer(s.faults.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
		held.copyTo(w)
	case ResetAfterRead:
		s.track(&heldAnswer{}, r)
		reset(w)
	default:
		s.track(w, r)
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

// heldAnswer keeps an answer to send later (SlowAnswer) or never
// (ResetAfterRead).
type heldAnswer struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (h *heldAnswer) Header() http.Header {
	if h.header == nil {
		h.header = http.Header{}
	}
	return h.header
}

func (h *heldAnswer) WriteHeader(code int) {
	if h.code == 0 {
		h.code = code
	}
}

func (h *heldAnswer) Write(p []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return h.body.Write(p)
}

func (h *heldAnswer) copyTo(w http.ResponseWriter) {
	for k, v := range h.header {
		w.Header()[k] = v
	}
	if h.code == 0 {
		h.code = http.StatusOK
	}
	w.WriteHeader(h.code)
	_, _ = w.Write(h.body.Bytes())
}

// reset closes the request's connection with an RST: SO_LINGER 0 drops
// the unsent data and aborts the connection.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// No connection of its own to reset (HTTP/2, a recorder): abort
		// the answer, which net/http does without an answer.
		panic(http.ErrAbortHandler)
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
