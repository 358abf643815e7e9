package web

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// Hub defaults: a client may lag QueueLen events behind before it is
// dropped; one write may take WriteTimeout before the stream is given up.
const (
	DefaultQueueLen     = 8
	DefaultKeepAlive    = 15 * time.Second
	DefaultWriteTimeout = 10 * time.Second
)

// Hub fans Server-Sent Events out to the pages that listen. Publish never
// blocks: each client has a small queue of its own, and a client whose
// queue is full is dropped (its stream ends; the browser reconnects and
// gets the retained state first). An event is encoded once and shared by
// every queue, so a stalled client costs its queue of pointers, not copies.
type Hub struct {
	QueueLen     int           // per client; DefaultQueueLen when 0
	KeepAlive    time.Duration // comment lines on an idle stream; DefaultKeepAlive when 0
	WriteTimeout time.Duration // DefaultWriteTimeout when 0

	mu       sync.Mutex
	clients  map[*client]struct{}
	retained map[string][]byte // the last event of each retained name, encoded
	order    []string          // retained names in the order first published
	closed   bool
	dropped  int
}

type client struct {
	q    chan []byte
	gone chan struct{} // closed when the hub drops the client or closes
	// kick makes a write in progress fail at once, so that a stream
	// dropped while its write blocks on a full socket ends now, not at the
	// write timeout. nil in unit tests without a connection.
	kick func()
}

// Publish sends an event to every client without waiting for any. With
// retain, it is also kept as the event of that name that a new client gets
// on connecting (the page's full state, for instance).
func (h *Hub) Publish(event string, data []byte, retain bool) {
	msg := encodeEvent(event, data)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	if retain {
		if h.retained == nil {
			h.retained = map[string][]byte{}
		}
		if _, ok := h.retained[event]; !ok {
			h.order = append(h.order, event)
		}
		h.retained[event] = msg
	}
	for c := range h.clients {
		select {
		case c.q <- msg:
		default: // full: this client lags; drop it rather than wait
			h.dropLocked(c)
			h.dropped++
		}
	}
}

// Clients is the number of streams open now.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Dropped is the number of clients dropped for lagging so far.
func (h *Hub) Dropped() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dropped
}

// Close ends every stream and refuses new ones (503), so that an HTTP
// server's Shutdown does not wait for streams that never end.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		h.dropLocked(c)
	}
}

// dropLocked removes c; its handler is still running (leave removes a
// client before the handler returns), so kicking its connection is safe.
func (h *Hub) dropLocked(c *client) {
	delete(h.clients, c)
	close(c.gone)
	if c.kick != nil {
		c.kick()
	}
}

// ServeHTTP streams events to one client: first the retained ones, then
// what is published, with a comment line when idle.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed: use GET", http.StatusMethodNotAllowed)
		return
	}
	rc := http.NewResponseController(w)
	c, first, ok := h.join(func() { _ = rc.SetWriteDeadline(time.Now()) })
	if !ok {
		http.Error(w, "the page is shutting down", http.StatusServiceUnavailable)
		return
	}
	defer h.leave(c)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		select {
		case <-c.gone: // dropped: what it has queued is not sent
			return false
		default:
		}
		_ = rc.SetWriteDeadline(time.Now().Add(or(h.WriteTimeout, DefaultWriteTimeout)))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write(append([]byte("retry: 1000\n\n"), first...)) {
		return
	}
	tick := time.NewTicker(or(h.KeepAlive, DefaultKeepAlive))
	defer tick.Stop()
	for {
		select {
		case msg := <-c.q:
			if !write(msg) {
				return
			}
		case <-tick.C:
			if !write([]byte(": keep-alive\n\n")) {
				return
			}
		case <-c.gone:
			return
		case <-r.Context().Done():
			return
		}
	}
}

// join adds a client and returns the retained events it starts with.
func (h *Hub) join(kick func()) (*client, []byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, false
	}
	n := h.QueueLen
	if n <= 0 {
		n = DefaultQueueLen
	}
	c := &client{q: make(chan []byte, n), gone: make(chan struct{}), kick: kick}
	if h.clients == nil {
		h.clients = map[*client]struct{}{}
	}
	h.clients[c] = struct{}{}
	var first []byte
	for _, name := range h.order {
		first = append(first, h.retained[name]...)
	}
	return c, first, true
}

func (h *Hub) leave(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		h.dropLocked(c)
	}
}

// encodeEvent writes one event in the text/event-stream format: each line
// of data on its own data: line, so a newline in data cannot end the
// event early or forge another one.
func encodeEvent(event string, data []byte) []byte {
	var b bytes.Buffer
	if event != "" {
		b.WriteString("event: ")
		b.WriteString(stripNewlines(event))
		b.WriteByte('\n')
	}
	for _, line := range bytes.Split(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n")) {
		b.WriteString("data: ")
		b.Write(bytes.ReplaceAll(line, []byte("\r"), nil))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.Bytes()
}

func stripNewlines(s string) string {
	return string(bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, []byte(s)))
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
