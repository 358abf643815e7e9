package visit

import (
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"
)

func encodeAll(v *Visit) string {
	var b strings.Builder
	for _, h := range v.Hits {
		b.WriteString(targets.MatomoQuery(h.Params))
		b.WriteByte('\n')
	}
	return b.String()
}

// A released visit's storage goes to later visits without changing a
// byte of them, nor of a visit still held.
func TestReleaseReusesStorageSafely(t *testing.T) {
	end := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cfg := funnelConfig(append(templateFunnels(), everyStepFunnel())...)
	fresh := func(n uint64) string {
		v := Generate(cfg, 9, n)
		v.StampEnd(end)
		return encodeAll(v)
	}
	want := make([]string, 600)
	for n := range want {
		want[n] = fresh(uint64(n))
	}
	held := Generate(cfg, 9, 0)
	held.StampEnd(end)
	for n := range uint64(len(want)) {
		v := Generate(cfg, 9, n)
		v.StampEnd(end)
		if got := encodeAll(v); got != want[n] {
			t.Fatalf("visit %d after reuse:\n got %s\nwant %s", n, got, want[n])
		}
		v.Release()
		for i, h := range v.Hits {
			if h.Params != nil {
				t.Fatalf("visit %d hit %d keeps parameters after Release", n, i)
			}
		}
		v.Release() // twice is harmless
	}
	if got := encodeAll(held); got != want[0] {
		t.Fatalf("a visit held while others were released changed:\n got %s\nwant %s", got, want[0])
	}
}
