package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/trafficinator/trafficinator/runner"
)

// progress prints a live line on a terminal (rewritten in place) and a
// plain line every 10 seconds otherwise, so CI logs stay readable.
type progress struct {
	w    io.Writer
	tty  bool
	mu   sync.Mutex
	last time.Time
	line bool
	// quiet: no progress lines (apply --quiet); log lines still go out.
	quiet bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) update(s runner.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quiet {
		return
	}
	planned := "open-ended"
	if s.Planned > 0 {
		planned = s.Planned.String()
	}
	text := fmt.Sprintf("%s / %s  rate %.1f/s  visits %d  dropped %d  hits %d  errors %d  p95 %.0fms  in flight %d",
		s.Elapsed.Round(time.Second), planned, s.Rate, s.Visits, s.Dropped, s.Hits, s.Errors, s.P95Ms, s.InFlight)
	if s.AutoLimit > 0 {
		text += fmt.Sprintf(" (rps auto: limit %d)", s.AutoLimit)
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", text)
		p.line = true
		return
	}
	if time.Since(p.last) >= 10*time.Second {
		p.last = time.Now()
		fmt.Fprintln(p.w, text)
	}
}

func (p *progress) logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.line {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, time.Now().UTC().Format("15:04:05")+" "+format+"\n", args...)
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.line {
		fmt.Fprintln(p.w)
		p.line = false
	}
}
