package exec

import (
	"sync"
	"sync/atomic"
)

// workers runs visit steps on reused goroutines. A fresh goroutine per
// step would start on a small stack and grow it (copying it each time) in
// the HTTP client, on every visit: about 5 % of the CPU of a run without
// pauses. A worker keeps its grown stack. At most maxIdleWorkers wait for
// work, until the run ends, so that a burst of visits leaves at most that
// many stacks behind (a few MiB). They wait without a timer: an idle
// timeout would arm and disarm a timer on every visit.
type workers struct {
	work chan func()
	quit chan struct{}
	once sync.Once
	idle atomic.Int32
}

const maxIdleWorkers = 128

func newWorkers() *workers {
	return &workers{work: make(chan func()), quit: make(chan struct{})}
}

// do runs f on an idle worker, or on a new one when none is idle: it never
// waits.
func (w *workers) do(f func()) {
	select {
	case w.work <- f:
	default:
		go w.loop(f)
	}
}

func (w *workers) loop(f func()) {
	for {
		f()
		if w.idle.Add(1) > maxIdleWorkers {
			w.idle.Add(-1)
			return
		}
		select {
		case f = <-w.work:
			w.idle.Add(-1)
		case <-w.quit:
			w.idle.Add(-1)
			return
		}
	}
}

// close makes idle workers exit now; busy ones exit when done.
func (w *workers) close() { w.once.Do(func() { close(w.quit) }) }
