package visit

import (
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"
)

// BenchmarkGenerate measures one visit of the default model (geo and
// ecommerce on), generated and stamped.
func BenchmarkGenerate(b *testing.B) {
	cfg := defaultConfig()
	end := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	Generate(cfg, 42, 0) // parse the catalogues outside the timing
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		v := Generate(cfg, 42, i)
		v.StampEnd(end)
		i++
	}
}

// BenchmarkGenerateEncode adds the query encoding of every hit and the
// release of the parameters, as the runner does before sending.
func BenchmarkGenerateEncode(b *testing.B) {
	cfg := defaultConfig()
	end := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	Generate(cfg, 42, 0)
	b.ReportAllocs()
	buf := make([]byte, 0, 4096)
	i := uint64(0)
	for b.Loop() {
		v := Generate(cfg, 42, i)
		v.StampEnd(end)
		for _, h := range v.Hits {
			buf = targets.AppendMatomoQuery(buf[:0], h.Params)
		}
		v.Release()
		i++
	}
}

// BenchmarkOrder measures one order alone.
func BenchmarkOrder(b *testing.B) {
	e := defaultConfig().Ecommerce
	Generate(defaultConfig(), 42, 0)
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		newOrder(e, "run1", i, newRand(42, i))
		i++
	}
}
