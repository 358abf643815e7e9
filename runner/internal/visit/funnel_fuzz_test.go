package visit

import (
	"testing"
	"time"
)

var (
	fuzzURLs    = []string{"", "/a", "b/c?d=1", "https://other.example/x", "http://h:8080"}
	fuzzTargets = []string{"https://t.example/", "/f.pdf", "g.zip", "https://u.example/a b", "x y"}
)

// fuzzConfig builds a funnel from bytes, one step per byte (its kind, url,
// target, delay and optional fields), on the busy model.
func fuzzConfig(data []byte, seed uint64) *Config {
	if len(data) > 64 {
		data = data[:64]
	}
	fn := Funnel{Name: "fuzz", Probability: 1, ExitAfterCompletion: len(data)%2 == 0}
	for i, b := range data {
		s := Step{Kind: Kind(b % 8), URL: fuzzURLs[int(b>>3)%len(fuzzURLs)], Target: fuzzTargets[int(b>>4)%len(fuzzTargets)]}
		s.DelayMax = time.Duration(b) * time.Second
		s.DelayMin = time.Duration(b%3) * time.Second
		s.Category, s.Action, s.Keyword = "c", "a", "k"
		if b&0x40 != 0 {
			s.Name, s.Value, s.Results, s.SearchCategory = "n", ptr(float64(b)/3), ptr(int(b%30)), "sc"
		}
		if b&0x20 != 0 && i%2 == 1 {
			s.Order = &Ecommerce{Currency: "SEK", OrderMin: float64(b%7) + 0.01, OrderMax: float64(b) + 1,
				ItemsMin: 1 + int(b%3), ItemsMax: 3 + int(b%5), TaxRate: float64(b%4) / 10, Shipping: []float64{float64(b % 9)}}
		}
		fn.Steps = append(fn.Steps, s)
	}
	cfg := funnelConfig(fn)
	cfg.PageviewsMin = 1 + int(seed%3)
	return cfg
}

// validFuzzSeed has every step kind and two orders, one with its own model.
var validFuzzSeed = []byte{0, 1, 2, 3, 4, 5, 0x31, 0x2d}

func TestFuzzSeedValid(t *testing.T) {
	if err := fuzzConfig(validFuzzSeed, 1).Check(); err != nil {
		t.Fatal(err)
	}
}

// FuzzFunnelVisit: every funnel configuration that passes Check generates
// visits that keep all the invariants.
func FuzzFunnelVisit(f *testing.F) {
	f.Add(validFuzzSeed, uint64(1))
	f.Add([]byte{0, 0x81, 0x42, 0x13, 0xff, 0x05, 0x25}, uint64(7))
	f.Add([]byte{0, 5, 5, 0x80, 3, 0x44, 2, 1}, uint64(99))
	f.Add([]byte{6, 1}, uint64(0))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		cfg := fuzzConfig(data, seed)
		if cfg.Check() != nil {
			return
		}
		// A few visits per configuration: the fuzzer varies the seed, and
		// thousands of executions a second find more than long ones.
		for i := range uint64(4) {
			checkVisit(t, cfg, Generate(cfg, seed, i))
		}
	})
}
