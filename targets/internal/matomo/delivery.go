package matomo

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// Delivery says when a request may be sent again (docs/delivery.md).
// Matomo's tracking endpoint is not idempotent: a hit it receives twice is
// recorded twice, a repeated first hit (new_visit=1) splits the visit, and
// a repeated order is refused as a duplicate although it was recorded.
type Delivery string

const (
	// AtMostOnce (the default) retries a request only when it provably
	// never reached Matomo: a connection that failed before any byte of
	// the request was written, or a 429 or 503 answer, which Matomo sends
	// without recording anything. A timeout or reset after the request
	// was written is not retried: its hits count as Unknown.
	AtMostOnce Delivery = "at_most_once"
	// AtLeastOnce also retries timeouts and resets after the request was
	// written, and 5xx answers: every hit is delivered if the target
	// recovers, but some may be recorded twice (and split visits).
	AtLeastOnce Delivery = "at_least_once"
)

// valid reports whether d is one of the modes.
func (d Delivery) valid() bool { return d == AtMostOnce || d == AtLeastOnce }

// verdict is what the delivery rules make of one attempt.
type verdict uint8

const (
	// settled: the answer decides every hit (OK, Rejected, the rest Failed).
	settled verdict = iota
	// again: the request may be sent again; its hits are Failed if no
	// attempt is left (Unknown if an earlier attempt may have recorded them).
	again
	// unsure: the request may have been recorded and is not sent again;
	// its hits are Unknown.
	unsure
)

// transportVerdict applies the rules to a transport error. written says
// whether any byte of the request may have reached the server.
func (d Delivery) transportVerdict(kind string, err error, written bool) verdict {
	switch {
	case kind == KindCanceled && written:
		return unsure
	case kind == KindCanceled:
		return settled // provably not sent: Failed, never retried
	case !written && retryableTransport(kind, err):
		return again
	case !written:
		return settled // will not heal (TLS, unknown host): Failed
	case d == AtLeastOnce && kind != KindTLS:
		return again
	}
	return unsure
}

// statusVerdict applies the rules to an HTTP status.
func (d Delivery) statusVerdict(status int) verdict {
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return again // sent by Matomo (or its proxy) without recording
	case status >= 500 && d == AtLeastOnce:
		return again
	}
	// Other 5xx: Matomo rolls a bulk transaction back and records nothing;
	// a single hit is not retried either, and counts Failed.
	return settled
}

// writeTrace tells whether a request was (perhaps partly) written. A
// reused keep-alive connection found closed before anything was written
// is retried by net/http itself on a new connection (its "nothing
// written" rule); what it reports as an error after WroteHeaders may have
// reached the server.
type writeTrace struct {
	wrote atomic.Bool
	trace httptrace.ClientTrace
}

func newWriteTrace() *writeTrace {
	w := &writeTrace{}
	w.trace.WroteHeaders = func() { w.wrote.Store(true) }
	w.trace.WroteRequest = func(httptrace.WroteRequestInfo) { w.wrote.Store(true) }
	return w
}

func (w *writeTrace) context(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &w.trace)
}

// written: the headers were handed to the connection, so some bytes of
// the request may have reached the server. WroteHeaders fires before the
// buffered headers are flushed: the rule errs on the side of "written".
func (w *writeTrace) written() bool { return w.wrote.Load() }
