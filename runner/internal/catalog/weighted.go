package catalog

import (
	"math/rand/v2"
	"sort"
)

// Weighted is a list of items drawn with probability proportional to their
// weights.
type Weighted[T any] struct {
	items []T
	cum   []float64 // running sums of the weights; cum[len-1] is the total
}

// newWeighted builds a list; every weight must be > 0.
func newWeighted[T any](items []T, weights []float64) *Weighted[T] {
	w := &Weighted[T]{items: items, cum: make([]float64, len(weights))}
	sum := 0.0
	for i, x := range weights {
		sum += x
		w.cum[i] = sum
	}
	return w
}

// Len is the number of items.
func (w *Weighted[T]) Len() int { return len(w.items) }

// Item returns item i.
func (w *Weighted[T]) Item(i int) T { return w.items[i] }

// Share returns the probability of item i.
func (w *Weighted[T]) Share(i int) float64 {
	prev := 0.0
	if i > 0 {
		prev = w.cum[i-1]
	}
	return (w.cum[i] - prev) / w.cum[len(w.cum)-1]
}

// Index draws an item index from r.
func (w *Weighted[T]) Index(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	i := sort.Search(len(w.cum), func(i int) bool { return w.cum[i] > x })
	return min(i, len(w.cum)-1) // rounding at the very top
}

// Pick draws an item from r.
func (w *Weighted[T]) Pick(r *rand.Rand) T { return w.items[w.Index(r)] }
