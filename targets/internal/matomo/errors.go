package matomo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/trafficinator/trafficinator/targets/internal/redact"
)

// Error kinds (Result.ErrKind): short, stable classes for metrics.
const (
	KindTimeout   = "timeout"    // per-request timeout
	KindConnect   = "connect"    // TCP connection refused / unreachable
	KindDNS       = "dns"        // host name did not resolve
	KindTLS       = "tls"        // handshake or certificate verification failed
	KindReset     = "reset"      // connection closed or reset mid-request
	KindNetwork   = "network"    // any other transport error
	KindCanceled  = "canceled"   // the caller's context ended
	KindHTTP3xx   = "http_3xx"   // redirect: the URL is not the final endpoint
	KindHTTP4xx   = "http_4xx"   // rejected (not retried)
	KindHTTP429   = "http_429"   // throttled
	KindHTTP5xx   = "http_5xx"   // server error
	KindHTTPOther = "http_other" // 1xx or other unexpected status
	KindBulkError = "bulk_error" // bulk answered 200 with status "error"
)

// Error is a failed send. Its message names the endpoint without
// credentials or query and has the token replaced by [redacted]; it is
// computed once, so printing the value with any verb cannot leak the token.
type Error struct {
	Kind   string
	Status int // HTTP status, 0 for transport errors
	msg    string
	inner  error // nil when its own text contained the token
}

func (e *Error) Error() string { return e.msg }

// Unwrap gives access to the transport error (for errors.Is with
// context.Canceled, os.ErrDeadlineExceeded, …).
func (e *Error) Unwrap() error { return e.inner }

// redactor replaces every spelling of the token a message could contain,
// and builds the kind's errors with it.
type redactor struct{ redact.Redactor }

func newRedactor(token string) redactor { return redactor{redact.New(token)} }

// newError builds an Error for op on endpoint; cause may be nil for HTTP
// status errors.
func (r redactor) newError(kind string, status int, op, endpoint, detail string, cause error) *Error {
	msg := "matomo: " + op + " " + endpoint + ": " + detail
	if cause != nil {
		msg += ": " + cause.Error()
	}
	e := &Error{Kind: kind, Status: status, msg: r.Scrub(msg)}
	if cause != nil && r.Scrub(cause.Error()) == cause.Error() {
		e.inner = cause
	}
	return e
}

// transportCause strips *url.Error, whose text repeats the full URL, and
// returns the underlying error.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// classify maps a transport error to a kind. ctx is the caller's context:
// when it has ended, the error is the caller's doing, not the server's.
func classify(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return KindCanceled
	}
	var (
		unknownCA   x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
		dnsErr      *net.DNSError
		opErr       *net.OpError
		netErr      net.Error
	)
	switch {
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return KindTLS
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	case errors.As(err, &dnsErr):
		return KindDNS
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH):
		return KindConnect
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return KindReset
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return KindConnect
	}
	return KindNetwork
}

// retryableTransport reports whether a transport error of this kind can
// heal by itself. TLS failures and unknown hosts will not.
func retryableTransport(kind string, err error) bool {
	switch kind {
	case KindTLS, KindCanceled:
		return false
	case KindDNS:
		var dnsErr *net.DNSError
		return !(errors.As(err, &dnsErr) && dnsErr.IsNotFound)
	}
	return true
}

// statusKind is the kind of a non-2xx status.
func statusKind(status int) string {
	switch {
	case status == 429:
		return KindHTTP429
	case status >= 500:
		return KindHTTP5xx
	case status >= 400:
		return KindHTTP4xx
	case status >= 300:
		return KindHTTP3xx
	}
	return KindHTTPOther
}

func statusDetail(status int) string {
	if status >= 300 && status < 400 {
		return fmt.Sprintf("HTTP %d redirect; set the target URL to the final endpoint", status)
	}
	return fmt.Sprintf("HTTP %d", status)
}
