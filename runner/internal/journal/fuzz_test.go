package journal

import (
	"path/filepath"
	"testing"
)

// FuzzJournalRead feeds the reader arbitrary bytes: it returns a state or
// an error, never panics, and what it accepts survives a compaction
// unchanged.
func FuzzJournalRead(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.state")
	w, err := Create(path, NewState(testHeader()))
	if err != nil {
		f.Fatal(err)
	}
	w.Sending(Entry{Visit: 1000, Hits: 2, From: 0, To: 1})
	w.Answered(1000, 2, 0, 1, OK)
	w.Sending(Entry{Visit: 1001, Hits: 3, From: 0, To: 3})
	w.Answered(1001, 3, 0, 2, Unknown)
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	st := NewState(testHeader())
	st.apply(Entry{Visit: 7, Hits: 1, From: 0, To: 1, Outcome: OK})
	st.apply(Entry{Visit: 9, Hits: 2, From: 0, To: 1, Outcome: Failed})
	snap := appendFrame(nil, appendSnapshot([]byte{kindSnapshot}, st))
	hdr := appendFrame(nil, append([]byte{kindHeader}, `{"format":"trafficinator.journal/v1","stride":10}`...))
	f.Add(mustRead(f, path))
	f.Add(append(append([]byte{}, hdr...), snap...))
	f.Add(hdr)
	f.Add([]byte("H"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := Read(data)
		if err != nil {
			return
		}
		again, _, err := Read(append(appendFrame(nil, append([]byte{kindHeader}, `{"format":"trafficinator.journal/v1"}`...)),
			appendFrame(nil, appendSnapshot([]byte{kindSnapshot}, s))...))
		if err != nil {
			t.Fatalf("the snapshot of an accepted journal does not read back: %v", err)
		}
		for v, hs := range s.visits {
			if len(again.visits[v]) != len(hs) {
				t.Fatalf("visit %d lost in the snapshot", v)
			}
		}
	})
}
