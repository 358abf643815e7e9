package report_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/trafficinator/trafficinator/runner/report"
)

// forged encodes a V2 compressed histogram header with the given geometry
// and no counts, without building the histogram (which would allocate
// what the header asks for).
func forged(lowest, highest int64, digits int32) string {
	var inner bytes.Buffer
	_ = binary.Write(&inner, binary.BigEndian, []int32{0x1c849303, 0, 0, digits})
	_ = binary.Write(&inner, binary.BigEndian, []int64{lowest, highest})
	_ = binary.Write(&inner, binary.BigEndian, 1.0)
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(inner.Bytes())
	_ = w.Close()
	var outer bytes.Buffer
	_ = binary.Write(&outer, binary.BigEndian, []int32{0x1c849304, int32(z.Len())})
	outer.Write(z.Bytes())
	return base64.StdEncoding.EncodeToString(outer.Bytes())
}

func TestSnapshotRejectsForeignGeometry(t *testing.T) {
	small := hdr.New(1, 1000, 2)
	_ = small.RecordValue(5)
	smallEnc, err := small.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, histogram, want string }{
		{"another geometry", string(smallEnc), "histogram geometry 1..1000 µs at 2 digits, want 1..300000000 at 3"},
		{"a forged huge range", forged(1, math.MaxInt64, 5), "histogram geometry 1..9223372036854775807 µs at 5 digits"},
		{"not base64", "HISTF!!", "illegal base64"},
		{"too short", "SElT", "histogram too short"},
		{"not zlib", base64.StdEncoding.EncodeToString([]byte("HISTFAAAxxxxxxxxxxxx")), "zlib"},
	}
	for _, c := range cases {
		_, err := report.Target{Name: "a", Histogram: c.histogram}.Snapshot()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
	// The geometry check passes what the recorders write.
	rec := newRec()
	fill(rec, 0, 100, all)
	tg := report.TargetFrom("a", rec.Snapshot())
	s, err := tg.Snapshot()
	if err != nil || s.Latency.TotalCount() != 100 {
		t.Fatalf("a real histogram: %v, %d values", err, s.Latency.TotalCount())
	}
}
