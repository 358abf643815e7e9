package visit

import (
	"encoding/hex"
	"sync"
	"testing"
	"time"
)

// TestStreamHashPinned pins the hash of visits 0..999 of seed 42 for the
// models without funnels, as they were before funnels existed: adding
// funnels must not change a single byte of a random visit. (Repinned when
// the visitor's identity came to be keyed by the run id too, and when the
// user-agent pool grew its long tail: issue 14.)
func TestStreamHashPinned(t *testing.T) {
	end := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for name, c := range map[string]struct {
		cfg  *Config
		want string
	}{
		"busy":    {busyConfig(), "4546addb16538efc8e31a19eb31d643c97e99a391eb0314b3e9ec25acaa8bfe3"},
		"default": {defaultConfig(), "340b1f93beb30ecfc74d2aeb460e4bdc1a213cfdffd8c401d8e1da72c1758912"},
	} {
		vs := make([]*Visit, 1000)
		for i := range vs {
			vs[i] = Generate(c.cfg, 42, uint64(i))
			vs[i].StampEnd(end)
		}
		if h := streamHash(vs); hex.EncodeToString(h[:]) != c.want {
			t.Errorf("%s: stream hash %x, want %s", name, h, c.want)
		}
	}
}

// TestFunnelDeterminism: with funnels, visits 0..1999 of seed 42 hash the
// same in order, in reverse and from 8 goroutines; another seed differs.
func TestFunnelDeterminism(t *testing.T) {
	goOn := everyStepFunnel()
	goOn.Name, goOn.Probability, goOn.Priority, goOn.ExitAfterCompletion = "every step, then browse", 0.3, 5, false
	cfg := funnelConfig(append(templateFunnels(), goOn)...)
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	end := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	const n = 2000
	gen := func(seed uint64, i int) *Visit {
		v := Generate(cfg, seed, uint64(i))
		v.StampEnd(end)
		return v
	}
	inOrder, reverse, parallel, other := make([]*Visit, n), make([]*Visit, n), make([]*Visit, n), make([]*Visit, n)
	funnels := map[string]bool{}
	for i := range n {
		inOrder[i] = gen(42, i)
		other[i] = gen(43, i)
		funnels[inOrder[i].Funnel] = true
	}
	for i := n - 1; i >= 0; i-- {
		reverse[i] = gen(42, i)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < n; i += 8 {
				parallel[i] = gen(42, i)
			}
		})
	}
	wg.Wait()
	if len(funnels) != 5 {
		t.Fatalf("funnels seen: %v", funnels)
	}
	want := streamHash(inOrder)
	if streamHash(reverse) != want || streamHash(parallel) != want {
		t.Error("the hit stream with funnels depends on generation order")
	}
	if streamHash(other) == want {
		t.Error("seeds 42 and 43 give the same hit stream")
	}
}
