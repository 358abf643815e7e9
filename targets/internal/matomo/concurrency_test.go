package matomo

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentSendsKeepBodiesIntact: pooled buffers are never shared
// between requests in flight, so every body arrives as it was built.
func TestConcurrentSendsKeepBodiesIntact(t *testing.T) {
	rec := newRecorder(t, reply{status: 204})
	c := mustNew(t, Config{URL: rec.srv.URL, Token: "tok", MaxConns: 8})
	const workers, each = 16, 25
	want := map[string]bool{}
	var wg sync.WaitGroup
	for w := range workers {
		for i := range each {
			one := fmt.Sprintf("idsite=1&rec=1&w=%d&i=%d", w, i)
			want[one+"&token_auth=tok"] = true
			want[fmt.Sprintf(`{"requests":["?%s","?x=%d"],"token_auth":"tok"}`, one, i)] = true
		}
		wg.Go(func() {
			for i := range each {
				one := fmt.Sprintf("idsite=1&rec=1&w=%d&i=%d", w, i)
				if r := c.SendOne(context.Background(), one, ""); r.OK != 1 {
					t.Errorf("SendOne: %+v", r)
				}
				if r := c.SendBulk(context.Background(), []string{one, fmt.Sprintf("x=%d", i)}, ""); r.OK != 2 {
					t.Errorf("SendBulk: %+v", r)
				}
			}
		})
	}
	wg.Wait()
	got := rec.requests()
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d", len(got), len(want))
	}
	for _, q := range got {
		if !want[q.Body] {
			t.Errorf("unexpected body %q", q.Body)
		}
		delete(want, q.Body)
	}
}
