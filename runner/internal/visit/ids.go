package visit

import "math/rand/v2"

// newRand returns the random stream of one visit. Seeding the PCG directly
// with (seed, index) would start neighbouring visits on states one apart;
// mixing both through splitmix64 first gives unrelated states, so visit i
// draws the same values whatever order or goroutine generates it.
func newRand(seed, index uint64) *rand.Rand {
	a := splitmix(seed ^ splitmix(index))
	b := splitmix(a ^ index ^ 0x6a09e667f3bcc909)
	return rand.New(rand.NewPCG(a, b))
}

// splitmix is the splitmix64 finaliser.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const hexDigits = "0123456789abcdef"

// hex16 formats x as 16 lowercase hex digits (a visitor id).
func hex16(x uint64) string {
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = hexDigits[x&15]
		x >>= 4
	}
	return string(b[:])
}

// hex6 formats the low 24 bits of x as 6 lowercase hex digits (a pv_id).
func hex6(x uint32) string {
	var b [6]byte
	for i := 5; i >= 0; i-- {
		b[i] = hexDigits[x&15]
		x >>= 4
	}
	return string(b[:])
}
