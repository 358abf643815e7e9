package sink

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// A bulk body costs memory in proportion to its size. The factors count
// every allocation of a request (TotalAlloc), including the slices
// outgrown on the way; the body itself is read into a buffer and copied
// into a string once (2×). Bodies of the smallest possible entries cost
// the most: 16 bytes of entry, 4 of invalid index and up to 8 of answer
// for 3 bytes of "{},", with doubling.
func TestBulkMemoryIsProportionalToBody(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	const size = 1 << 20
	realHits := `{"requests":[`
	for i := 0; len(realHits) < size; i++ {
		realHits += `"?` + benchQuery(uint64(i/5), i) + `",`
	}
	realHits += `"?a"]}`
	cases := []struct {
		name   string
		body   string
		factor float64
	}{
		{"real hits", realHits, 2.5},
		{"empty objects", `{"requests":[` + strings.Repeat(`{},`, size/3) + `{}]}`, 24},
		{"tiny objects", `{"requests":[` + strings.Repeat(`{"a":1},`, size/8) + `{}]}`, 24},
		{"tiny queries", `{"requests":[` + strings.Repeat(`"?a",`, size/5) + `"?a"]}`, 24},
		{"dropped entries", `{"requests":[` + strings.Repeat(`1,`, size/2) + `1]}`, 2.5},
		{"escaped queries", `{"requests":[` + strings.Repeat(`"?\u0061",`, size/10) + `"?a"]}`, 24},
		{"one long string", `{"requests":[],"x":"` + strings.Repeat("y", size) + `"}`, 2.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(Config{MaxBody: 4 << 20})
			if err != nil {
				t.Fatal(err)
			}
			body := []byte(c.body)
			req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/matomo.php", nil)
			req.RemoteAddr = "127.0.0.1:1"
			w := &discardWriter{h: http.Header{}}
			// The second request shows the steady state: the pooled read
			// buffer exists already.
			var before, after runtime.MemStats
			for range 2 {
				runtime.GC()
				runtime.ReadMemStats(&before)
				req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
				s.ServeHTTP(w, req)
				runtime.ReadMemStats(&after)
			}
			if w.status != http.StatusOK {
				t.Fatalf("status %d", w.status)
			}
			alloc := float64(after.TotalAlloc - before.TotalAlloc)
			if ratio := alloc / float64(len(body)); ratio > c.factor {
				t.Errorf("%.0f bytes allocated for a %d-byte body: %.1f×, want at most %v×", alloc, len(body), ratio, c.factor)
			}
		})
	}
}
