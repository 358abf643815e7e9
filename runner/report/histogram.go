package report

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// decodeHistogram decodes a report's histogram after checking that its
// geometry is the one every report uses (metrics.NewLatencyHistogram).
// A report file is input: a forged header asking for a range of 1 to
// 2^63 would make hdr.Decode allocate gigabytes, and a histogram of
// another geometry would not merge exactly anyway.
func decodeHistogram(encoded string) (*hdr.Histogram, error) {
	if err := checkGeometry(encoded); err != nil {
		return nil, err
	}
	return hdr.Decode([]byte(encoded))
}

// The V2 compressed encoding: base64 of a cookie and a length (int32 each,
// big-endian), then zlib data that starts with a 40-byte header: cookie,
// payload length, normalizing offset, significant digits (int32 each),
// lowest and highest trackable values (int64 each) and a float64.
const (
	outerHeaderLen = 8
	innerHeaderLen = 40
)

func checkGeometry(encoded string) error {
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return err
	}
	if len(raw) < outerHeaderLen {
		return errors.New("histogram too short")
	}
	z, err := zlib.NewReader(bytes.NewReader(raw[outerHeaderLen:]))
	if err != nil {
		return err
	}
	defer z.Close()
	var h [innerHeaderLen]byte
	if _, err := io.ReadFull(z, h[:]); err != nil {
		return fmt.Errorf("histogram header: %w", err)
	}
	digits := int64(int32(binary.BigEndian.Uint32(h[12:16])))
	lowest := int64(binary.BigEndian.Uint64(h[16:24]))
	highest := int64(binary.BigEndian.Uint64(h[24:32]))
	ref := metrics.NewLatencyHistogram()
	if digits != ref.SignificantFigures() || lowest != ref.LowestTrackableValue() || highest != ref.HighestTrackableValue() {
		return fmt.Errorf("histogram geometry %d..%d µs at %d digits, want %d..%d at %d",
			lowest, highest, digits, ref.LowestTrackableValue(), ref.HighestTrackableValue(), ref.SignificantFigures())
	}
	return nil
}
