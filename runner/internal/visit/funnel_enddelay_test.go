package visit

import (
	"strings"
	"testing"
	"time"
)

// TestFunnelEndDelayMovesThePing checks that the end delay is the time
// between the last step and the ping, and that a funnel without one keeps
// its ping on the last step.
func TestFunnelEndDelayMovesThePing(t *testing.T) {
	steps := []Step{
		{Kind: Pageview, URL: "/a"},
		{Kind: Event, Category: "C", Action: "A", DelayMin: 4 * time.Second, DelayMax: 4 * time.Second},
	}
	for _, tc := range []struct {
		lo, hi time.Duration
	}{{0, 0}, {9 * time.Second, 9 * time.Second}, {time.Minute, 2 * time.Minute}} {
		f := Funnel{Name: "f", Probability: 1, ExitAfterCompletion: true, Steps: steps, EndDelayMin: tc.lo, EndDelayMax: tc.hi}
		cfg := funnelConfig(f)
		for i := uint64(0); i < 50; i++ {
			v := Generate(cfg, 7, i)
			last, ping := v.Hits[len(v.Hits)-2], v.Hits[len(v.Hits)-1]
			if ping.Kind != Ping || last.Offset != 4*time.Second {
				t.Fatalf("visit %d: last step at %v, ping kind %v", i, last.Offset, ping.Kind)
			}
			if gap := ping.Offset - last.Offset; gap < tc.lo || gap > tc.hi || v.Duration != ping.Offset {
				t.Errorf("end delay %v..%v: ping %v after the last step, duration %v", tc.lo, tc.hi, gap, v.Duration)
			}
		}
	}
}

func TestFunnelEndDelayChecked(t *testing.T) {
	f := Funnel{Name: "f", Probability: 1, ExitAfterCompletion: true, Steps: []Step{{Kind: Pageview}},
		EndDelayMin: 3 * time.Second, EndDelayMax: time.Second}
	err := funnelConfig(f).Check()
	if err == nil || !strings.Contains(err.Error(), `funnel "f": end delay 3s..1s: want 0 ≤ min ≤ max`) {
		t.Fatalf("error %v", err)
	}
}
