package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadInfo says how much of a journal was read.
type ReadInfo struct {
	Records int
	// Ignored is the size of the torn record at the end, if any: a write
	// cut short by a crash. Its hits are not in the state, and were not
	// sent (a hit is sent only once its record was written).
	Ignored int
}

// maxFile bounds the journal read into memory.
const maxFile = 1 << 30

// ReadFile reads the journal at path.
func ReadFile(path string) (*State, ReadInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ReadInfo{}, err
	}
	defer func() { _ = f.Close() }()
	if fi, err := f.Stat(); err != nil {
		return nil, ReadInfo{}, err
	} else if !fi.Mode().IsRegular() {
		return nil, ReadInfo{}, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, ReadInfo{}, err
	}
	if len(data) > maxFile {
		return nil, ReadInfo{}, fmt.Errorf("%s is larger than %d bytes", path, maxFile)
	}
	return Read(data)
}

// Read decodes a journal. A torn last record is ignored (see ReadInfo); a
// record whose checksum matches but whose content does not make sense is
// an error that names its byte offset.
func Read(data []byte) (*State, ReadInfo, error) {
	var info ReadInfo
	payload, n, err := readFrame(data)
	if err != nil || payload[0] != kindHeader {
		return nil, info, errors.New("not a trafficinator journal (no header record at byte 0)")
	}
	var h Header
	dec := json.NewDecoder(bytes.NewReader(payload[1:]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, info, fmt.Errorf("byte 0: header: %v", err)
	}
	if h.Format != Format {
		return nil, info, fmt.Errorf("byte 0: format %q, want %q", h.Format, Format)
	}
	s := NewState(h)
	info.Records = 1
	off := n
	for {
		payload, n, err := readFrame(data[off:])
		if err == io.EOF {
			return s, info, nil
		}
		if err != nil {
			info.Ignored = len(data) - off
			return s, info, nil
		}
		switch payload[0] {
		case kindEntries:
			err = applyEntries(s, payload[1:])
		case kindSnapshot:
			var snap *State
			if snap, err = readSnapshot(h, payload[1:]); err == nil {
				s = snap
			}
		default:
			err = fmt.Errorf("unknown record kind %q", payload[0])
		}
		if err != nil {
			return nil, info, fmt.Errorf("byte %d (record %d): %v", off, info.Records+1, err)
		}
		info.Records++
		off += n
	}
}
