package exec

import (
	"context"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// batcher collects the hits of many visits into bulk requests for one
// target. A visit submits a group of consecutive hits (those with no pause
// between them) and waits until the request that carried them is answered
// before it goes on, so a visitor's hits always reach Matomo oldest first,
// as bulk tracking requires. A batch is sent when it is full or when its
// oldest hit has waited maxWait, so pauses still mean something.
type batcher struct {
	t       *Target
	size    int
	maxWait time.Duration
	ctx     context.Context

	mu      sync.Mutex
	queries []string
	kinds   []kind.HitKind
	waiters []waiter
	timer   *time.Timer
	sends   sync.WaitGroup
	// spawn runs a send in the background (default: a new goroutine); the
	// realtime executor passes its workers, whose stacks are grown already.
	spawn func(func())
}

func newBatcher(ctx context.Context, t *Target, maxWait time.Duration) *batcher {
	return &batcher{t: t, size: t.Bulk, maxWait: maxWait, ctx: ctx}
}

// waiter is one submitted group: out, when not nil, receives the outcome
// of each of its hits before done is closed.
type waiter struct {
	done  chan struct{}
	n     int // hits in the group
	out   []HitOutcome
	group Group // for the journal
}

// submit queues a group (at most size hits) and returns a channel closed
// when the request carrying it has been answered. out, when not nil, gets
// the group's own share of the request's outcome (len(queries) entries):
// a bulk request carries the groups of many visits, and each visit is
// accounted for by itself.
func (b *batcher) submit(queries []string, kinds []kind.HitKind, out []HitOutcome, g Group) <-chan struct{} {
	done := make(chan struct{})
	b.mu.Lock()
	if len(b.queries)+len(queries) > b.size {
		b.flushLocked()
	}
	b.queries = append(b.queries, queries...)
	b.kinds = append(b.kinds, kinds...)
	b.waiters = append(b.waiters, waiter{done: done, n: len(queries), out: out, group: g})
	switch {
	case len(b.queries) >= b.size:
		b.flushLocked()
	case b.timer == nil:
		b.timer = time.AfterFunc(b.maxWait, b.flushTimer)
	}
	b.mu.Unlock()
	return done
}

func (b *batcher) flushTimer() {
	b.mu.Lock()
	b.timer = nil
	b.flushLocked()
	b.mu.Unlock()
}

// flush sends whatever is queued (at the end of a run).
func (b *batcher) flush() {
	b.mu.Lock()
	b.flushLocked()
	b.mu.Unlock()
	b.sends.Wait()
}

func (b *batcher) flushLocked() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.queries) == 0 {
		return
	}
	queries, kinds, waiters := b.queries, b.kinds, b.waiters
	b.queries, b.kinds, b.waiters = nil, nil, nil
	b.sends.Add(1)
	spawn := b.spawn
	if spawn == nil {
		spawn = func(f func()) { go f() }
	}
	spawn(func() {
		defer b.sends.Done()
		if j := b.t.journal; j != nil {
			// Journalled at the last moment: a group waiting in a batch
			// that never goes out (a kill) is not taken for sent.
			groups := make([]Group, len(waiters))
			for k, w := range waiters {
				groups[k] = w.group
			}
			if j.Sending(groups) != nil {
				// Not journalled, so not sent: the groups' outcomes stay
				// HitUnsent, which their visits read as the journal's failure.
				b.t.Recorder.RecordUnsent(len(queries))
				for _, w := range waiters {
					close(w.done)
				}
				return
			}
		}
		res := b.t.Sender.SendBulk(b.ctx, queries, "")
		b.t.Recorder.RecordRequest(request(res, kinds))
		if b.t.limiter != nil {
			b.t.limiter.Observe(observationOf(res, len(waiters)))
		}
		var outs []HitOutcome
		off := 0
		for _, w := range waiters {
			if w.out != nil {
				if outs == nil {
					outs = make([]HitOutcome, len(queries))
					outcomesOf(res, outs)
				}
				copy(w.out, outs[off:off+w.n])
			}
			off += w.n
			close(w.done)
		}
	})
}
