package report_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/report"
)

// BenchmarkMergeThousandShards measures what docs/scale.md quotes for
// n = 1,000: merging the reports of 1,000 shards, two targets each with
// 2,000 requests of spread latencies (histograms included), and the size
// of one shard's JSON report and of the merged one. Not in make test: run
// it with go test -run '^$' -bench MergeThousandShards ./runner/report/.
func BenchmarkMergeThousandShards(b *testing.B) {
	const n = 1000
	in := make([]report.Input, n)
	for i := range n {
		ra, rb := newRec(), newRec()
		fill(ra, i*2000, i*2000+2000, all)
		fill(rb, i*2000, i*2000+2000, all)
		r := reportFrom("big", digestA, t0, 10*time.Second, named{"a", ra}, named{"b", rb})
		r.Run.Shard = &report.Shard{Index: i, Count: n}
		in[i] = report.Input{Source: fmt.Sprintf("shard-%d.json", i), Report: r}
	}
	var one bytes.Buffer
	if err := report.WriteJSON(&one, in[0].Report); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var m *report.Report
	for b.Loop() {
		var err error
		if m, err = report.Merge(in); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var merged bytes.Buffer
	if err := report.WriteJSON(&merged, m); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(one.Len()), "shard-bytes")
	b.ReportMetric(float64(merged.Len()), "merged-bytes")
}
