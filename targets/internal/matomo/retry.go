package matomo

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff is the full-jitter delay before attempt+1: uniform in
// [0, min(MaxDelay, BaseDelay·2^(attempt-1))].
func (p RetryPolicy) backoff(attempt int) time.Duration {
	ceil := p.MaxDelay
	if shift := attempt - 1; shift < 62 && p.BaseDelay <= p.MaxDelay>>shift {
		ceil = p.BaseDelay << shift
	}
	return rand.N(ceil + 1)
}

// retryAfter parses a Retry-After header (delay-seconds or HTTP-date),
// capped at limit. ok is false when the header is absent or malformed.
func retryAfter(h http.Header, now time.Time, limit time.Duration) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	secs, err := strconv.ParseUint(v, 10, 63)
	switch {
	case err == nil && secs <= uint64(limit/time.Second):
		return time.Duration(secs) * time.Second, true
	case err == nil || errors.Is(err, strconv.ErrRange):
		return limit, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), limit), true
}
