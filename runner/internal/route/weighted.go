package route

import "math"

// nextWeighted is nginx's smooth weighted round-robin: every enabled target
// gains its weight, the one with the largest current value is picked and
// loses the enabled total. Counts are exact over every cycle of Σweights
// picks, and picks of a target are spread evenly within the cycle.
//
// Unlike nginx, the state starts half a step in (current = weight/2, kept
// in half units so it stays integral): that centres each target's picks in
// its slots, keeps every prefix within ±1 of the exact share (nginx's zero
// start reaches 1.0) and keeps short windows tighter (for 3:1:0.5 every
// window of 13 visits is within ±1, where a zero start gives 1.11).
func (r *router) nextWeighted() int {
	var total int64
	best := -1
	for i, on := range r.enabled {
		if !on {
			continue
		}
		total += r.units[i]
		r.current[i] += 2 * r.units[i]
		if best < 0 || r.current[i] > r.current[best] {
			best = i
		}
	}
	if best >= 0 {
		r.current[best] -= 2 * total
	}
	return best
}

// restartCycle resets the state for the enabled set, so the shares are
// exact from the next pick on (used at start and after Disable).
func (r *router) restartCycle() {
	for i := range r.current {
		r.current[i] = r.units[i]
	}
}

// maxUnits bounds the integer weights so that 2·Σ fits in an int64 with
// room to spare.
const maxUnits = 1 << 52

// integerWeights turns positive weights into integers with the same ratios.
// Weights written with up to 9 decimals (as scenario files have them) are
// scaled exactly; others are rounded to 1e-9 of the largest weight (at
// least 1). The result is divided by its GCD: 3, 1, 0.5 → 6, 2, 1.
func integerWeights(w []float64) []int64 {
	units := make([]int64, len(w))
	for d, scale := 0, 1.0; d <= 9; d, scale = d+1, scale*10 {
		if exactScale(w, scale, units) {
			return reduce(units)
		}
	}
	top := 0.0
	for _, x := range w {
		top = math.Max(top, x)
	}
	for i, x := range w {
		units[i] = max(1, int64(math.Round(x/top*1e9)))
	}
	return reduce(units)
}

// exactScale fills units with w·scale when every product is (within float
// noise) an integer and their sum stays below maxUnits.
func exactScale(w []float64, scale float64, units []int64) bool {
	var sum float64
	for i, x := range w {
		v := x * scale
		r := math.Round(v)
		if r < 1 || math.Abs(v-r) > 1e-9+v*1e-12 {
			return false
		}
		sum += r
		if sum >= maxUnits {
			return false
		}
		units[i] = int64(r)
	}
	return true
}

func reduce(units []int64) []int64 {
	g := units[0]
	for _, u := range units[1:] {
		g = gcd(g, u)
	}
	for i := range units {
		units[i] /= g
	}
	return units
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
