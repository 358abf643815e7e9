package route

import (
	"math"
	"slices"
	"sync"
	"testing"
)

func mustNew(t *testing.T, strategy string, w []float64, seed uint64) Router {
	t.Helper()
	r, err := New(strategy, w, seed)
	if err != nil {
		t.Fatalf("New(%q, %v): %v", strategy, w, err)
	}
	return r
}

func picks(r Router, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = r.Next()
	}
	return out
}

func counts(seq []int, targets int) []int {
	c := make([]int, targets)
	for _, i := range seq {
		c[i]++
	}
	return c
}

func TestWeightedExactShares(t *testing.T) {
	w := []float64{3, 1, 0.5}
	seq := picks(mustNew(t, Weighted, w, 0), 9000)
	if got := counts(seq, 3); !slices.Equal(got, []int{6000, 2000, 1000}) {
		t.Fatalf("counts %v, want [6000 2000 1000]", got)
	}
	share := []float64{3 / 4.5, 1 / 4.5, 0.5 / 4.5}
	// Every prefix stays within ±1 of the exact share.
	c := make([]int, 3)
	for k, i := range seq {
		c[i]++
		for j := range c {
			if d := math.Abs(float64(c[j]) - float64(k+1)*share[j]); d > 1+1e-9 {
				t.Fatalf("after %d picks target %d has %d, exact %.3f", k+1, j, c[j], float64(k+1)*share[j])
			}
		}
	}
	// So does every window of 13 visits.
	const window = 13
	for s := 0; s+window <= len(seq); s++ {
		wc := counts(seq[s:s+window], 3)
		for j := range wc {
			if d := math.Abs(float64(wc[j]) - window*share[j]); d > 1+1e-9 {
				t.Fatalf("window at %d: target %d has %d, exact %.3f", s, j, wc[j], window*share[j])
			}
		}
	}
	// Smooth: the light targets are spread through the cycle.
	if want := []int{0, 0, 1, 0, 0, 2, 0, 1, 0}; !slices.Equal(seq[:9], want) {
		t.Errorf("first cycle %v, want %v", seq[:9], want)
	}
}

// TestWeightedCyclesExact: for many weight sets, counts are exact at the
// end of every cycle of Σ(integer weights) picks and prefixes stay within ±1.
func TestWeightedCyclesExact(t *testing.T) {
	sets := [][]float64{{1}, {1, 1, 1}, {10, 1}, {5, 1, 1, 1}, {0.1, 0.2, 0.3}, {2.5, 7.25, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 10}}
	for a := 1; a <= 7; a++ {
		for b := 1; b <= 7; b++ {
			for c := 1; c <= 7; c++ {
				sets = append(sets, []float64{float64(a), float64(b), float64(c), float64(a + b)})
			}
		}
	}
	for _, w := range sets {
		units := integerWeights(w)
		var cycle int64
		for _, u := range units {
			cycle += u
		}
		r := mustNew(t, Weighted, w, 0)
		c := make([]int64, len(w))
		for k := int64(1); k <= 3*cycle; k++ {
			c[r.Next()]++
			for i := range c {
				if d := math.Abs(float64(c[i]) - float64(k*units[i])/float64(cycle)); d >= 1 {
					t.Fatalf("%v: after %d picks target %d has %d (off by %.3f)", w, k, i, c[i], d)
				}
			}
			if k%cycle == 0 {
				for i := range c {
					if c[i] != k/cycle*units[i] {
						t.Fatalf("%v: after %d picks counts %v, want multiples of %v", w, k, c, units)
					}
				}
			}
		}
	}
}

func TestIntegerWeights(t *testing.T) {
	for _, tc := range []struct {
		w    []float64
		want []int64
	}{
		{[]float64{3, 1, 0.5}, []int64{6, 2, 1}},
		{[]float64{0.1, 0.2, 0.3}, []int64{1, 2, 3}},
		{[]float64{2, 4, 6}, []int64{1, 2, 3}},
		{[]float64{1.25, 1}, []int64{5, 4}},
		{[]float64{0.000000001, 1}, []int64{1, 1000000000}},
		{[]float64{1.0 / 3, 2.0 / 3}, []int64{1, 2}},  // rounded to 1e-9 of the largest, then reduced
		{[]float64{1e-12, 1}, []int64{1, 1000000000}}, // too small to scale: at least 1 unit
		{[]float64{1e300, 1e300}, []int64{1, 1}},      // too big to scale exactly
		{[]float64{1.0000000001, 1}, []int64{1, 1}},   // differs below the 1e-9 resolution
	} {
		if got := integerWeights(tc.w); !slices.Equal(got, tc.want) {
			t.Errorf("integerWeights(%v) = %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestRoundRobin(t *testing.T) {
	r := mustNew(t, RoundRobin, []float64{5, 1, 1}, 0)
	if got := picks(r, 7); !slices.Equal(got, []int{0, 1, 2, 0, 1, 2, 0}) {
		t.Fatalf("picks %v, want 0 1 2 0 1 2 0 (weights ignored)", got)
	}
	r.Disable(1)
	if got := picks(r, 4); !slices.Equal(got, []int{2, 0, 2, 0}) {
		t.Errorf("after disabling 1: %v, want 2 0 2 0", got)
	}
}

func TestRandomWithinThreeStandardErrors(t *testing.T) {
	w := []float64{3, 1, 0.5}
	const n = 90000
	c := counts(picks(mustNew(t, Random, w, 42), n), 3)
	for i, wi := range w {
		p := wi / 4.5
		se := math.Sqrt(n * p * (1 - p))
		if d := math.Abs(float64(c[i]) - n*p); d > 3*se {
			t.Errorf("target %d: %d picks, expected %.0f ± %.0f (3 SE)", i, c[i], n*p, 3*se)
		}
	}
}

func TestRandomIsSeeded(t *testing.T) {
	w := []float64{1, 1, 1, 1}
	a := picks(mustNew(t, Random, w, 7), 200)
	b := picks(mustNew(t, Random, w, 7), 200)
	c := picks(mustNew(t, Random, w, 8), 200)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different sequences")
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 give the same sequence")
	}
}

func TestDisableRedistributes(t *testing.T) {
	r := mustNew(t, Weighted, []float64{3, 1, 1}, 0)
	_ = picks(r, 7) // mid-cycle
	r.Disable(0)
	if got := counts(picks(r, 1000), 3); got[0] != 0 || got[1] != 500 || got[2] != 500 {
		t.Errorf("after disabling 0: counts %v, want [0 500 500]", got)
	}
	if got := r.Enabled(); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("Enabled() = %v, want [1 2]", got)
	}

	rnd := mustNew(t, Random, []float64{3, 1, 1}, 1)
	rnd.Disable(0)
	const n = 20000
	got := counts(picks(rnd, n), 3)
	se := math.Sqrt(n * 0.5 * 0.5)
	if got[0] != 0 || math.Abs(float64(got[1])-n/2) > 3*se {
		t.Errorf("random after disabling 0: counts %v, want [0 ~%d ~%d]", got, n/2, n/2)
	}
}

func TestAllDisabled(t *testing.T) {
	for _, s := range []string{Weighted, RoundRobin, Random} {
		r := mustNew(t, s, []float64{1, 2}, 0)
		r.Disable(1)
		r.Disable(1) // twice: ignored
		r.Disable(5) // unknown: ignored
		r.Disable(-1)
		if got := r.Next(); got != 0 {
			t.Errorf("%s: one target left, Next = %d", s, got)
		}
		r.Disable(0)
		if got := r.Next(); got != -1 {
			t.Errorf("%s: all disabled, Next = %d, want -1", s, got)
		}
		if got := r.Enabled(); len(got) != 0 {
			t.Errorf("%s: Enabled = %v, want none", s, got)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, tc := range []struct {
		strategy string
		w        []float64
		want     string
	}{
		{Weighted, nil, "route: no targets"},
		{Weighted, []float64{1, 0}, "route: weight of target 1 is 0; weights must be positive numbers (disable a target instead of giving it weight 0)"},
		{Random, []float64{-2}, "route: weight of target 0 is -2; weights must be positive numbers (disable a target instead of giving it weight 0)"},
		{RoundRobin, []float64{1, math.NaN()}, "route: weight of target 1 is NaN; weights must be positive numbers (disable a target instead of giving it weight 0)"},
		{Weighted, []float64{math.Inf(1)}, "route: weight of target 0 is +Inf; weights must be positive numbers (disable a target instead of giving it weight 0)"},
		{"fastest", []float64{1}, `route: unknown strategy "fastest" (want weighted, round-robin or random)`},
		{"", []float64{1}, `route: unknown strategy "" (want weighted, round-robin or random)`},
	} {
		r, err := New(tc.strategy, tc.w, 0)
		if err == nil || err.Error() != tc.want {
			t.Errorf("New(%q, %v) = %v, %v; want error %q", tc.strategy, tc.w, r, err, tc.want)
		}
	}
}

// TestConcurrentNext: under -race, concurrent picks neither race nor lose
// a pick; weighted counts stay exact.
func TestConcurrentNext(t *testing.T) {
	for _, s := range []string{Weighted, RoundRobin, Random} {
		r := mustNew(t, s, []float64{3, 1, 0.5}, 3)
		const workers, each = 8, 900
		var mu sync.Mutex
		total := make([]int, 3)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				c := counts(picks(r, each), 3)
				mu.Lock()
				for i := range c {
					total[i] += c[i]
				}
				mu.Unlock()
			})
		}
		wg.Add(1)
		go func() { defer wg.Done(); _ = r.Enabled() }()
		wg.Wait()
		sum := total[0] + total[1] + total[2]
		if sum != workers*each {
			t.Errorf("%s: %d picks counted, want %d", s, sum, workers*each)
		}
		switch s {
		case Weighted:
			if !slices.Equal(total, []int{4800, 1600, 800}) {
				t.Errorf("weighted concurrent counts %v, want [4800 1600 800]", total)
			}
		case RoundRobin:
			if !slices.Equal(total, []int{2400, 2400, 2400}) {
				t.Errorf("round-robin concurrent counts %v", total)
			}
		}
	}
}

// FuzzNew: any weights give either an error or a router whose picks are
// enabled targets.
func FuzzNew(f *testing.F) {
	f.Add(3.0, 1.0, 0.5, uint8(0))
	f.Add(1e-300, 1e300, 1.0, uint8(1))
	f.Add(0.1, 0.2, 0.3, uint8(2))
	f.Add(-1.0, 1.0, 1.0, uint8(0))
	f.Fuzz(func(t *testing.T, a, b, c float64, s uint8) {
		strategy := []string{Weighted, RoundRobin, Random}[int(s)%3]
		r, err := New(strategy, []float64{a, b, c}, uint64(s))
		if err != nil {
			return
		}
		r.Disable(int(s) % 4)
		on := r.Enabled()
		for range 50 {
			if i := r.Next(); !slices.Contains(on, i) {
				t.Fatalf("%s %v: Next = %d, enabled %v", strategy, []float64{a, b, c}, i, on)
			}
		}
	})
}

// TestCloneGoesOnLikeTheOriginal: a clone makes the picks the original
// makes next, and picking from one leaves the other where it was.
func TestCloneGoesOnLikeTheOriginal(t *testing.T) {
	for _, strategy := range []string{Weighted, RoundRobin, Random} {
		r := mustNew(t, strategy, []float64{3, 1, 0.5}, 7)
		for range 5 {
			r.Next()
		}
		r.Disable(1)
		c := r.Clone()
		var fromClone, fromOriginal []int
		for range 50 {
			fromClone = append(fromClone, c.Next())
		}
		for range 50 {
			fromOriginal = append(fromOriginal, r.Next())
		}
		if !slices.Equal(fromClone, fromOriginal) {
			t.Errorf("%s: the clone picked %v, the original %v", strategy, fromClone, fromOriginal)
		}
		if slices.Contains(fromClone, 1) {
			t.Errorf("%s: the clone routes to the disabled target", strategy)
		}
	}
}
