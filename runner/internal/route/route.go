// Package route picks the target of each visit: weighted (deterministic,
// smooth), round-robin or random. A visit stays on the target it was given.
package route

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// Strategies accepted by New.
const (
	Weighted   = "weighted"
	RoundRobin = "round-robin"
	Random     = "random"
)

// Router hands out target indices. All methods are safe for concurrent use.
type Router interface {
	// Next returns the index of the target for the next visit, -1 when no
	// target is enabled.
	Next() int
	// Disable takes target i out of the rotation; the other targets share
	// its part in proportion to their weights. Unknown or already disabled
	// indices are ignored.
	Disable(i int)
	// Enabled lists the enabled targets in index order.
	Enabled() []int
	// Clone returns a router in the same state that goes on on its own:
	// backfill replays a day's picks without keeping them.
	Clone() Router
}

// New returns a Router over len(weights) targets, all enabled. Weights must
// be positive finite numbers (round-robin checks them too but ignores them).
// seed drives the random strategy only.
func New(strategy string, weights []float64, seed uint64) (Router, error) {
	if len(weights) == 0 {
		return nil, fmt.Errorf("route: no targets")
	}
	for i, w := range weights {
		if !(w > 0) || math.IsInf(w, 1) {
			return nil, fmt.Errorf("route: weight of target %d is %v; weights must be positive numbers (disable a target instead of giving it weight 0)", i, w)
		}
	}
	r := &router{
		strategy: strategy,
		weights:  append([]float64(nil), weights...),
		enabled:  make([]bool, len(weights)),
		last:     len(weights) - 1,
	}
	for i := range r.enabled {
		r.enabled[i] = true
	}
	switch strategy {
	case Weighted:
		r.units = integerWeights(weights)
		r.current = make([]int64, len(weights))
		r.restartCycle()
	case Random:
		r.src = rand.NewPCG(seed, 0x9e3779b97f4a7c15)
		r.rng = rand.New(r.src)
	case RoundRobin:
	default:
		return nil, fmt.Errorf("route: unknown strategy %q (want %s, %s or %s)", strategy, Weighted, RoundRobin, Random)
	}
	return r, nil
}

type router struct {
	mu       sync.Mutex
	strategy string
	weights  []float64
	enabled  []bool

	units   []int64    // weighted: weights as integers with the same ratios
	current []int64    // weighted: smooth round-robin state, in half units
	rng     *rand.Rand // random: draws from src
	src     *rand.PCG
	last    int // round-robin: index picked last
}

func (r *router) Next() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch r.strategy {
	case Weighted:
		return r.nextWeighted()
	case Random:
		return r.nextRandom()
	}
	return r.nextRoundRobin()
}

func (r *router) Disable(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if i < 0 || i >= len(r.enabled) || !r.enabled[i] {
		return
	}
	r.enabled[i] = false
	if r.strategy == Weighted {
		r.restartCycle()
	}
}

// Clone implements Router.
func (r *router) Clone() Router {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := &router{
		strategy: r.strategy, weights: r.weights, units: r.units, last: r.last,
		enabled: append([]bool(nil), r.enabled...), current: append([]int64(nil), r.current...),
	}
	if r.src != nil {
		src := *r.src
		c.src = &src
		c.rng = rand.New(c.src)
	}
	return c
}

func (r *router) Enabled() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for i, on := range r.enabled {
		if on {
			out = append(out, i)
		}
	}
	return out
}

func (r *router) nextRoundRobin() int {
	n := len(r.enabled)
	for j := 1; j <= n; j++ {
		if i := (r.last + j) % n; r.enabled[i] {
			r.last = i
			return i
		}
	}
	return -1
}

// nextRandom draws an enabled target with probability proportional to its
// weight.
func (r *router) nextRandom() int {
	total, lastOn := 0.0, -1
	for i, on := range r.enabled {
		if on {
			total += r.weights[i]
			lastOn = i
		}
	}
	if lastOn < 0 {
		return -1
	}
	x := r.rng.Float64() * total
	for i, on := range r.enabled {
		if !on {
			continue
		}
		if x < r.weights[i] {
			return i
		}
		x -= r.weights[i]
	}
	return lastOn // x landed on the total through rounding
}
