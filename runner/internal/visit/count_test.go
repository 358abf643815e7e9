package visit

import "testing"

func TestCountHitsMatchesGenerate(t *testing.T) {
	for name, cfg := range map[string]*Config{
		"default": defaultConfig(),
		"busy":    busyConfig(),
		"funnels": funnelConfig(templateFunnels()...),
	} {
		for i := uint64(0); i < 20000; i++ {
			if got, want := CountHits(cfg, 42, i), len(Generate(cfg, 42, i).Hits); got != want {
				t.Fatalf("%s visit %d: CountHits %d, Generate made %d hits", name, i, got, want)
			}
		}
	}
}

func BenchmarkCountHits(b *testing.B) {
	cfg := busyConfig()
	for i := range b.N {
		CountHits(cfg, 42, uint64(i))
	}
}
