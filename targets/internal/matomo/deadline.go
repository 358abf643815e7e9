package matomo

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// deadlines hands out the contexts that bound requests to the target's
// timeout. http.Client.Timeout gives every request a deadline context of
// its own: an allocation, a timer armed and stopped, and a registration
// with the caller's context (shared by every request of a run, so under
// its lock), which cost a raw net/http loop about a tenth of its request
// rate against the sink. Instead, the requests that start within one slot
// (timeout/64) share one context that ends timeout after the slot ends: a
// request is cut between timeout and timeout plus 1.6 % after it starts.
type deadlines struct {
	timeout, slot time.Duration
	cur           atomic.Pointer[slotContext]
	mu            sync.Mutex // serialises the creation of the next slot
}

// slotContext is the shared deadline context of one slot of one parent.
type slotContext struct {
	parent context.Context
	end    time.Time // requests starting before end may use ctx
	ctx    context.Context
	// cancel is kept, never called: requests of the slot may still be
	// running when the next slot starts.
	cancel context.CancelFunc
}

// slotsPerTimeout sets the precision of the timeout (1/64 of it).
const slotsPerTimeout = 64

func newDeadlines(timeout time.Duration) *deadlines {
	return &deadlines{timeout: timeout, slot: max(timeout/slotsPerTimeout, time.Microsecond)}
}

// context returns the context for a request of parent starting at now.
func (d *deadlines) context(parent context.Context, now time.Time) context.Context {
	if s := d.cur.Load(); s != nil && s.parent == parent && now.Before(s.end) {
		return s.ctx
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s := d.cur.Load(); s != nil && s.parent == parent && now.Before(s.end) {
		return s.ctx
	}
	end := now.Truncate(d.slot).Add(d.slot)
	// The context is never cancelled early: its deadline releases it, and
	// with it its registration with parent, at most timeout plus a slot
	// after its last request started.
	ctx, cancel := context.WithDeadline(parent, end.Add(d.timeout))
	d.cur.Store(&slotContext{parent: parent, end: end, ctx: ctx, cancel: cancel})
	return ctx
}
