package sink

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// readBody reads a POST body of at most maxBody bytes; larger bodies get
// 413 without being read to the end. Memory is taken as bytes arrive,
// never from the declared Content-Length, which costs a client nothing to
// declare. Everything held counts against the body memory budget until
// the request ends (release): over it, the request gets 503 with
// Retry-After and nothing of it is recorded. A body not read within the
// body timeout gets 408, and its connection is closed.
func (s *Sink) readBody(w http.ResponseWriter, r *http.Request, rs *reqState) (body string, release func(), ok bool) {
	release = func() {}
	if r.ContentLength > s.maxBody {
		s.failRequest(w, errBodyTooLarge, http.StatusRequestEntityTooLarge, "body too large")
		return "", release, false
	}
	// Test recorders have no connection and do not support deadlines.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(s.limits.body))
	var held int64
	release = func() { s.bodies.release(held) }
	reserve := func(n int) bool {
		if !s.bodies.reserve(int64(n)) {
			return false
		}
		held += int64(n)
		return true
	}
	s.bodies.reading.Add(1)
	body, pooled, err := readAtMost(rs.body, r.Body, r.ContentLength, s.maxBody, reserve)
	rs.body = pooled
	s.bodies.reading.Add(-1)
	var ne net.Error
	switch {
	case err == nil:
		// The body is in; net/http's watch for a closed connection must
		// not time out while the hits are processed.
		_ = rc.SetReadDeadline(time.Time{})
		return body, release, true
	case errors.Is(err, errTooLarge):
		s.failRequest(w, errBodyTooLarge, http.StatusRequestEntityTooLarge, "body too large")
	case errors.Is(err, errNoMemory):
		w.Header().Set("Retry-After", retryAfter)
		s.failRequest(w, errBusy, http.StatusServiceUnavailable, "busy: too many request bodies in flight, retry later")
	case errors.As(err, &ne) && ne.Timeout():
		w.Header().Set("Connection", "close")
		s.failRequest(w, errBodyTimeout, http.StatusRequestTimeout, "body not received in time")
	default:
		s.failRequest(w, errReadBody, http.StatusBadRequest, "cannot read body")
	}
	return "", release, false
}

var (
	errTooLarge = errors.New("body too large")
	errNoMemory = errors.New("body memory budget exhausted")
)

// readAtMost reads r into a string: at most size bytes when the size is
// known (net/http holds the body to its Content-Length), and more than
// limit bytes is errTooLarge. It reads into pooled (returned, perhaps
// replaced, for the next request) and then into chunks that double with
// what has arrived, so that memory follows the bytes received, and each
// byte is copied once, into the string. reserve is asked before every
// chunk and for the string; its refusal is errNoMemory.
func readAtMost(pooled []byte, r io.Reader, size, limit int64, reserve func(int) bool) (string, []byte, error) {
	bound := limit + 1 // one byte over is enough to refuse
	if size >= 0 {
		bound = min(bound, size+1) // one more to see the end without a read of 0 bytes
	}
	chunks := [][]byte{pooled[:0]}
	total := int64(0)
	for {
		cur := chunks[len(chunks)-1]
		if len(cur) == cap(cur) {
			n := int(min(max(512, total), bound-total))
			if !reserve(n) {
				return "", pooled, errNoMemory
			}
			cur = make([]byte, 0, n)
			chunks = append(chunks, cur)
		}
		free := cur[len(cur):min(cap(cur), len(cur)+int(bound-total))]
		n, err := r.Read(free)
		chunks[len(chunks)-1] = cur[:len(cur)+n]
		total += int64(n)
		if total > limit {
			return "", pooled, errTooLarge
		}
		if size >= 0 && total > size {
			err = io.EOF // a reader that does not stop at its size: ignore the rest
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", pooled, err
		}
	}
	if cap(pooled) == 0 && len(chunks) > 1 {
		pooled = chunks[1][:0] // the first chunk serves the next request
	}
	if size >= 0 {
		total = min(total, size)
	}
	if !reserve(int(total)) {
		return "", pooled, errNoMemory
	}
	var b strings.Builder
	b.Grow(int(total))
	for _, c := range chunks {
		c = c[:min(int64(len(c)), total-int64(b.Len()))]
		b.Write(c)
	}
	return b.String(), pooled, nil
}
