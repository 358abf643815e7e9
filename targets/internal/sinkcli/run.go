package sinkcli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

// Options are the settings of a standalone sink.
type Options struct {
	Listen  string // host:port; the sink listens there and nowhere else
	Sites   []sink.Site
	Strict  bool
	MaxBody int64  // 0 means sink.DefaultMaxBody
	LogPath string // hit log file (JSON lines), "" for none
	// MaxBodyMemory bounds the bytes of all bodies in flight (0: the
	// default); BodyTimeout bounds the reading of one body (0: the default).
	MaxBodyMemory int64
	BodyTimeout   time.Duration
	// Faults make the sink misbehave on purpose (see FaultFlags).
	Faults FaultFlags
	// DropVisits and MergeVisits are the shares of visits dropped and
	// merged on purpose, picked by a hash seeded with MisbehaveSeed
	// (sink.Config); MaxLiveVisits bounds the visits Live lists.
	DropVisits, MergeVisits float64
	MisbehaveSeed           uint64
	MaxLiveVisits           int
	// MaxRate and Latency are the capacity limiter (sink.Config).
	MaxRate float64
	Latency time.Duration
}

// UsageError is a mistake in the options, as opposed to a failure while
// running (an address in use, an unwritable log file).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// shutdownGrace is how long requests in flight may take after a signal.
const shutdownGrace = 5 * time.Second

// logFlushEvery keeps the hit log readable while the sink runs (tail -f)
// without a write call per request.
const logFlushEvery = time.Second

// Run serves a sink until ctx ends, then stops it cleanly. It prints where
// it listens to stdout when ready, and a summary when stopped.
func Run(ctx context.Context, o Options, stdout io.Writer) error {
	if err := checkListen(o.Listen); err != nil {
		return &UsageError{err}
	}
	for _, f := range []struct {
		flag  string
		share float64
	}{{"--drop-visits", o.DropVisits}, {"--merge-visits", o.MergeVisits}} {
		if !(f.share >= 0 && f.share <= 1) {
			return &UsageError{fmt.Errorf("%s %v: want a share between 0 and 1, such as 0.02", f.flag, f.share)}
		}
	}
	faults, faultNote, err := o.Faults.faults()
	if err != nil {
		return &UsageError{err}
	}
	cfg := sink.Config{Sites: o.Sites, Strict: o.Strict, MaxBody: o.MaxBody, MaxBodyMemory: o.MaxBodyMemory, BodyTimeout: o.BodyTimeout, Faults: faults, MaxRate: o.MaxRate, Latency: o.Latency,
		DropVisits: o.DropVisits, MergeVisits: o.MergeVisits, MisbehaveSeed: o.MisbehaveSeed, MaxLiveVisits: o.MaxLiveVisits}
	var hitLog *flushingWriter
	if o.LogPath != "" {
		hitLog = &flushingWriter{} // its file is opened once the options are known to be good
		cfg.Log = hitLog
	}
	s, err := sink.New(cfg)
	if err != nil {
		return &UsageError{err}
	}
	if hitLog != nil {
		f, err := os.OpenFile(o.LogPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return fmt.Errorf("hit log: %w", err)
		}
		defer f.Close()
		hitLog.w = bufio.NewWriterSize(f, 64<<10)
	}
	u, err := s.Start(o.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.Listen, err)
	}
	base := strings.TrimSuffix(u, "/matomo.php")
	fmt.Fprintf(stdout, "trafficinator sink listening on %s (tracking %s/matomo.php, reporting API %s/index.php, stats %s/stats)\n", base, base, base, base)
	if faultNote != "" {
		fmt.Fprintf(stdout, "trafficinator sink injects %s\n", faultNote)
	}
	misbehaving := o.DropVisits > 0 || o.MergeVisits > 0
	if misbehaving {
		fmt.Fprintf(stdout, "trafficinator sink drops %s and merges %s of visits on purpose (seed %d)\n", share(o.DropVisits), share(o.MergeVisits), o.MisbehaveSeed)
	}

	if hitLog != nil {
		stopFlush := hitLog.flushEvery(logFlushEvery)
		defer stopFlush()
	}
	<-ctx.Done()

	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	shutErr := s.Shutdown(sctx)
	var logErr error
	if hitLog != nil {
		logErr = hitLog.Flush()
	}
	st := s.Stats()
	fmt.Fprintf(stdout, "trafficinator sink stopped: %d requests, %d hits (%d recorded, %d excluded, %d invalid), %d rule violations\n",
		st.Requests, st.Hits, st.Recorded, st.Tracked-st.Recorded-st.Misbehaviour.DroppedHits, st.Invalid, violations(st))
	if faultNote != "" {
		fmt.Fprintf(stdout, "trafficinator sink faulted %d of %d tracking requests carrying hits\n", s.Faulted(), s.HitRequests())
	}
	if misbehaving {
		m := st.Misbehaviour
		fmt.Fprintf(stdout, "trafficinator sink dropped %d visits (%d hits) and merged %d visits on purpose\n", m.DroppedVisits, m.DroppedHits, m.MergedVisits)
	}
	if st.LogError != "" {
		logErr = errors.New(st.LogError)
	}
	if logErr != nil {
		return fmt.Errorf("hit log: %w", logErr)
	}
	if shutErr != nil && !errors.Is(shutErr, context.DeadlineExceeded) {
		return shutErr
	}
	return nil
}

// share formats a share as a percentage: 0.02 is 2%.
func share(x float64) string { return strconv.FormatFloat(x*100, 'f', -1, 64) + "%" }

func violations(st sink.Stats) int64 {
	var n int64
	for _, c := range st.Rules {
		n += c.Count
	}
	return n
}

// checkListen accepts host:port with a numeric port; the host may be empty
// (all interfaces) only because the user wrote so.
func checkListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: want host:port, such as 127.0.0.1:8089", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("--listen %q: port must be a number from 0 to 65535", addr)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("--listen %q: bad host", addr)
	}
	return nil
}

// flushingWriter is a buffered writer that another goroutine may flush.
type flushingWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (f *flushingWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.Write(p)
}

func (f *flushingWriter) Flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.Flush()
}

// flushEvery flushes periodically until the returned stop is called.
func (f *flushingWriter) flushEvery(d time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				f.Flush() // an error sticks in the bufio.Writer and shows at the end
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
