package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

// interrupts turns SIGINT and SIGTERM into stops of apply, at any phase.
// The first is graceful (ctx: arrivals end and the visits in flight get
// the grace period); the second is hard (hard: the requests in flight are
// cancelled at once). Neither exits the process: the run still returns its
// report, which is printed and written. A signal while the scenario loads,
// during the preflight or while the report is written also makes the exit
// code 130. The live page's Stop button is one more way to the first.
type interrupts struct {
	ctx, hard          context.Context
	cancel, cancelHard context.CancelFunc
	stderr             io.Writer
	count              atomic.Int32
	stop               func()

	mu      sync.Mutex
	waiters []context.CancelFunc // of the contexts of afterNext
}

func listenInterrupts(stderr io.Writer) *interrupts {
	in := &interrupts{stderr: stderr}
	in.ctx, in.cancel = context.WithCancel(context.Background())
	in.hard, in.cancelHard = context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
			case <-done:
				return
			}
			in.signal()
		}
	}()
	in.stop = func() {
		signal.Stop(ch)
		close(done)
		in.cancel()
		in.cancelHard()
	}
	return in
}

func (in *interrupts) signal() {
	switch in.count.Add(1) {
	case 1:
		fmt.Fprintln(in.stderr, "\ninterrupted: letting visits in flight finish (press Ctrl-C again to stop at once)")
		in.cancel()
	case 2:
		fmt.Fprintln(in.stderr, "\ninterrupted again: cancelling the requests in flight; the report follows")
		in.cancelHard()
	}
	in.mu.Lock()
	for _, cancel := range in.waiters {
		cancel()
	}
	in.waiters = nil
	in.mu.Unlock()
}

// pageStop is the live page's Stop button: the first Ctrl-C, once. While
// a stop is under way it does nothing (Ctrl-C stops at once).
func (in *interrupts) pageStop() {
	if in.count.CompareAndSwap(0, 1) {
		fmt.Fprintln(in.stderr, "\nstop asked on the live page: letting visits in flight finish (press Ctrl-C to stop at once)")
		in.cancel()
	}
}

// afterNext returns a context that the next signal cancels (the end of
// the live page's linger).
func (in *interrupts) afterNext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	in.mu.Lock()
	in.waiters = append(in.waiters, cancel)
	in.mu.Unlock()
	return ctx, cancel
}

// interrupted reports whether a signal came.
func (in *interrupts) interrupted() bool { return in.count.Load() > 0 }
