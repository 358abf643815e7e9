package visit

import (
	"testing"
	"time"
)

// BenchmarkGenerateFunnel measures one visit of the default model with the
// three legacy funnel templates (about 70 % of visits follow one; a fifth
// browse on after it), generated and stamped.
func BenchmarkGenerateFunnel(b *testing.B) {
	cfg := defaultConfig()
	cfg.Funnels = templateFunnels()
	if err := cfg.Check(); err != nil {
		b.Fatal(err)
	}
	end := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	Generate(cfg, 42, 0)
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		v := Generate(cfg, 42, i)
		v.StampEnd(end)
		i++
	}
}
