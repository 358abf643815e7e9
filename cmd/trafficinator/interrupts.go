package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// interrupts turns SIGINT and SIGTERM into stops of apply, at any phase.
// The first is graceful (ctx: arrivals end and the visits in flight get
// the grace period); the second is hard (hard: the requests in flight are
// cancelled at once). Neither exits the process: the run still returns its
// report, which is printed and written. A signal while the scenario loads,
// during the preflight or while the report is written also makes the exit
// code 130.
type interrupts struct {
	ctx, hard context.Context
	count     atomic.Int32
	stop      func()
}

func listenInterrupts(stderr io.Writer) *interrupts {
	ctx, cancel := context.WithCancel(context.Background())
	hard, cancelHard := context.WithCancel(context.Background())
	in := &interrupts{ctx: ctx, hard: hard}
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
			switch in.count.Add(1) {
			case 1:
				fmt.Fprintln(stderr, "\ninterrupted: letting visits in flight finish (press Ctrl-C again to stop at once)")
				cancel()
			case 2:
				fmt.Fprintln(stderr, "\ninterrupted again: cancelling the requests in flight; the report follows")
				cancelHard()
			}
		}
	}()
	in.stop = func() {
		signal.Stop(ch)
		close(done)
		cancel()
		cancelHard()
	}
	return in
}

// interrupted reports whether a signal came.
func (in *interrupts) interrupted() bool { return in.count.Load() > 0 }
