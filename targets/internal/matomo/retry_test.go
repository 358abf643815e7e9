package matomo

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoffCeilings(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for attempt, ceil := range map[int]time.Duration{
		1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond,
		4: 800 * time.Millisecond, 5: time.Second, 70: time.Second,
	} {
		var top time.Duration
		for range 2000 {
			d := p.backoff(attempt)
			if d < 0 || d > ceil {
				t.Fatalf("attempt %d: delay %v outside [0, %v]", attempt, d, ceil)
			}
			top = max(top, d)
		}
		// Full jitter spreads over the whole range: 2000 draws reach its top half.
		if top < ceil/2 {
			t.Errorf("attempt %d: largest of 2000 delays %v, want near %v", attempt, top, ceil)
		}
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 2 ", 2 * time.Second, true},
		{"0", 0, true},
		{"11", 10 * time.Second, true},
		{"99999999999999999999", 10 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{now.Add(4 * time.Second).Format(http.TimeFormat), 4 * time.Second, true},
		{now.Add(time.Hour).Format(http.TimeFormat), 10 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	} {
		h := http.Header{}
		if tc.v != "" {
			h.Set("Retry-After", tc.v)
		}
		got, ok := retryAfter(h, now, 10*time.Second)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Retry-After %q = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzRetryAfter: whatever the server sends in Retry-After, the delay is
// between 0 and the cap, and a header that is not read gives none.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "120", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d, ok := retryAfter(h, now, 5*time.Second)
		if d < 0 || d > 5*time.Second || (!ok && d != 0) {
			t.Fatalf("Retry-After %q = %v, %v", v, d, ok)
		}
	})
}
