package matomo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestDeadlineBoundsEveryRequestOfASlot(t *testing.T) {
	d := newDeadlines(640 * time.Millisecond) // slots of 10ms
	parent := context.Background()
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	first := d.context(parent, start)
	for _, off := range []time.Duration{0, time.Millisecond, 9*time.Millisecond + 999*time.Microsecond} {
		now := start.Add(off)
		ctx := d.context(parent, now)
		if ctx != first {
			t.Fatalf("request at +%v got a new context within the slot", off)
		}
		dl, ok := ctx.Deadline()
		if !ok || dl.Sub(now) < d.timeout || dl.Sub(now) > d.timeout+d.slot {
			t.Fatalf("request at +%v: deadline %v after it, want within [%v, %v]", off, dl.Sub(now), d.timeout, d.timeout+d.slot)
		}
	}
	next := d.context(parent, start.Add(10*time.Millisecond))
	if next == first {
		t.Fatal("the next slot reused the previous context")
	}
	if dl, _ := next.Deadline(); dl.Sub(start) != 20*time.Millisecond+d.timeout {
		t.Fatalf("next slot's deadline %v after start", dl.Sub(start))
	}
}

func TestDeadlineFollowsTheParent(t *testing.T) {
	d := newDeadlines(time.Second)
	now := time.Now()
	a, cancelA := context.WithCancel(context.Background())
	b := context.Background()
	ca := d.context(a, now)
	if cb := d.context(b, now); cb == ca {
		t.Fatal("two parents share a deadline context")
	}
	cancelA()
	if ca.Err() == nil {
		t.Fatal("cancelling the parent did not end its requests' context")
	}
	if d.context(b, now).Err() != nil {
		t.Fatal("another parent's context ended")
	}
}

// An answer whose body stalls after the headers is cut at the timeout too:
// the deadline covers the whole exchange, not only the headers.
func TestTimeoutCoversAStalledBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("GIF89a"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := mustNew(t, Config{URL: srv.URL, Timeout: 100 * time.Millisecond, Retry: RetryPolicy{MaxAttempts: 1}})
	start := time.Now()
	r := c.SendOne(context.Background(), "a=1", "")
	if took := time.Since(start); took < 100*time.Millisecond || took > 5*time.Second {
		t.Fatalf("SendOne took %v with a 100ms timeout and a stalled body", took)
	}
	if r.Status != http.StatusOK || r.Hits != 1 {
		t.Fatalf("result %+v", r)
	}
}
