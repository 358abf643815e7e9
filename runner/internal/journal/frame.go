package journal

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
)

// A record is 4 bytes of payload length and 4 of its CRC-32C (both little
// endian), then the payload, whose first byte is the record's kind.
const (
	frameHeader = 8
	// maxRecord bounds a record's payload, so that a corrupt length cannot
	// make the reader allocate gigabytes.
	maxRecord = 64 << 20
)

// Record kinds.
const (
	kindHeader   = 'H' // JSON Header
	kindEntries  = 'E' // entries
	kindSnapshot = 'C' // a compacted state: replaces what came before
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// appendFrame appends payload framed as a record to dst.
func appendFrame(dst, payload []byte) []byte {
	var h [frameHeader]byte
	binary.LittleEndian.PutUint32(h[:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(h[4:], crc32.Checksum(payload, castagnoli))
	dst = append(dst, h[:]...)
	return append(dst, payload...)
}

// errTorn says that the data ends inside a record, or in one whose
// checksum does not match: what a crash during a write leaves.
var errTorn = errors.New("torn record")

// readFrame returns the payload of the record at the start of data and the
// bytes it took. It returns io.EOF on empty data and errTorn on a record
// that is cut short or corrupt.
func readFrame(data []byte) ([]byte, int, error) {
	if len(data) == 0 {
		return nil, 0, io.EOF
	}
	if len(data) < frameHeader {
		return nil, 0, errTorn
	}
	n := binary.LittleEndian.Uint32(data[:4])
	sum := binary.LittleEndian.Uint32(data[4:8])
	if n == 0 || n > maxRecord || uint64(len(data)-frameHeader) < uint64(n) {
		return nil, 0, errTorn
	}
	payload := data[frameHeader : frameHeader+int(n)]
	if crc32.Checksum(payload, castagnoli) != sum {
		return nil, 0, errTorn
	}
	return payload, frameHeader + int(n), nil
}
