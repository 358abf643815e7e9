package sink

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Connection and memory limits of a started sink: a client that sends its
// headers or body slowly (or not at all), or many clients that each declare
// a large body, must not hold the sink's memory or connections.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultBodyTimeout       = 60 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	// DefaultMaxBodyMemory bounds the bytes of all request bodies held at
	// once, when Config.MaxBodyMemory is 0 (raised to twice the body
	// limit, so that one body of the largest size always fits).
	DefaultMaxBodyMemory = 256 << 20
)

// retryAfter is the Retry-After of a 503 for lack of body memory: bodies in
// flight end within the body timeout, most within milliseconds.
const retryAfter = "1"

// limits resolves the Config fields of the limits.
type limits struct {
	readHeader, body, idle time.Duration
	bodyMemory             int64
}

func resolveLimits(cfg Config, maxBody int64) (limits, error) {
	l := limits{readHeader: cfg.ReadHeaderTimeout, body: cfg.BodyTimeout, idle: cfg.IdleTimeout, bodyMemory: cfg.MaxBodyMemory}
	if l.readHeader < 0 || l.body < 0 || l.idle < 0 || l.bodyMemory < 0 {
		return l, fmt.Errorf("sink: timeouts and the body memory limit must not be negative")
	}
	if l.readHeader == 0 {
		l.readHeader = DefaultReadHeaderTimeout
	}
	if l.body == 0 {
		l.body = DefaultBodyTimeout
	}
	if l.idle == 0 {
		l.idle = DefaultIdleTimeout
	}
	if l.bodyMemory == 0 {
		l.bodyMemory = max(DefaultMaxBodyMemory, 2*maxBody+1)
	}
	if l.bodyMemory < 2*maxBody+1 {
		// A body is held twice: the read buffer (one byte over the limit,
		// to notice a body too large) and the string the hits point into.
		return l, fmt.Errorf("sink: body memory limit %d is below twice the body limit, plus one (%d bytes)", l.bodyMemory, 2*maxBody+1)
	}
	return l, nil
}

// budget counts the bytes of request bodies held by requests in flight. A
// request reserves before it grows its buffer, and gives all back when it
// ends; a reservation beyond the limit fails rather than waits, so that a
// full sink answers 503 at once.
type budget struct {
	limit   int64
	used    atomic.Int64
	reading atomic.Int64 // requests reading a body, for tests
}

func (b *budget) reserve(n int64) bool {
	for {
		cur := b.used.Load()
		if cur+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(cur, cur+n) {
			return true
		}
	}
}

func (b *budget) release(n int64) { b.used.Add(-n) }
