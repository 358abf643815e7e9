package journal

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func testHeader() Header {
	return Header{Format: Format, Scenario: "s", Digest: "abc", Seed: 5, RunID: "r1", Mode: "backfill", Stride: 1000}
}

// journalOf writes a small history: visit 1000 settled (3 hits ok), 1001
// cut after a failed hit, 1002 with an unknown hit, 1003 in flight.
func journalOf(t *testing.T, path string) *Writer {
	t.Helper()
	w, err := Create(path, NewState(testHeader()))
	if err != nil {
		t.Fatal(err)
	}
	w.Sending(Entry{Visit: 1000, Hits: 3, From: 0, To: 2})
	w.Answered(1000, 3, 0, 2, OK)
	w.Sending(Entry{Visit: 1000, Hits: 3, From: 2, To: 3})
	w.Answered(1000, 3, 2, 3, OK)
	w.Sending(Entry{Visit: 1001, Hits: 4, From: 0, To: 1})
	w.Answered(1001, 4, 0, 1, OK)
	w.Sending(Entry{Visit: 1001, Hits: 4, From: 1, To: 2})
	w.Answered(1001, 4, 1, 2, Failed)
	w.Sending(Entry{Visit: 1002, Hits: 2, From: 0, To: 1})
	w.Answered(1002, 2, 0, 1, Unknown)
	w.Sending(Entry{Visit: 1002, Hits: 2, From: 1, To: 2})
	w.Answered(1002, 2, 1, 2, Rejected)
	w.Sending(Entry{Visit: 2005, Hits: 2, From: 0, To: 1})
	return w
}

func checkHistory(t *testing.T, s *State) {
	t.Helper()
	if !s.Settled(1000) || s.Hits(1000) != nil {
		t.Errorf("visit 1000: settled %v, hits %v; want settled", s.Settled(1000), s.Hits(1000))
	}
	want := map[uint64][]Outcome{
		1001: {OK, Failed, None, None},
		1002: {Unknown, Rejected},
		2005: {Unknown, None}, // sending, never answered
	}
	for v, hs := range want {
		if got := s.Hits(v); !reflect.DeepEqual(got, hs) {
			t.Errorf("visit %d: hits %v, want %v", v, got, hs)
		}
	}
	if v, h := s.SettledIn(1000); v != 1 || h != 3 {
		t.Errorf("day 1: %d settled visits, %d hits; want 1, 3", v, h)
	}
	if s.Hits(1004) != nil || s.Settled(1004) {
		t.Error("visit 1004 was never sent")
	}
}

func TestJournalRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.state")
	w := journalOf(t, path)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, info, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Ignored != 0 {
		t.Errorf("ignored %d bytes of a clean journal", info.Ignored)
	}
	if s.Header != testHeader() {
		t.Errorf("header %+v", s.Header)
	}
	checkHistory(t, s)
}

// A journal read while its writer is still running (a SIGKILL leaves it
// so) holds every entry whose Sending returned.
func TestJournalReadWithoutClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.state")
	w := journalOf(t, path)
	defer func() { _ = w.Close() }()
	s, _, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Answers journalled after the last Sending may not be written yet:
	// the last one (1002's rejected hit) is pending, so it reads unknown.
	if got := s.Hits(1001); !reflect.DeepEqual(got, []Outcome{OK, Failed, None, None}) {
		t.Errorf("visit 1001: %v", got)
	}
	if got := s.Hits(2005); !reflect.DeepEqual(got, []Outcome{Unknown, None}) {
		t.Errorf("visit 2005: %v", got)
	}
}

func TestJournalTornTailIgnored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.state")
	w := journalOf(t, path)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A crash mid-write: a record cut short, or one whose bytes did not
	// all reach the disk.
	extra := appendFrame(nil, appendEntry([]byte{kindEntries}, new(uint64), Entry{Visit: 3000, Hits: 1, From: 0, To: 1, Outcome: Sending}))
	for cut := 1; cut < len(extra); cut++ {
		s, info, err := Read(append(append([]byte{}, data...), extra[:cut]...))
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if info.Ignored != cut {
			t.Errorf("cut at %d: ignored %d bytes", cut, info.Ignored)
		}
		checkHistory(t, s)
		if s.Hits(3000) != nil {
			t.Errorf("cut at %d: the torn entry was applied", cut)
		}
	}
	flipped := append(append([]byte{}, data...), extra...)
	flipped[len(flipped)-1] ^= 0xff
	if _, info, err := Read(flipped); err != nil || info.Ignored != len(extra) {
		t.Errorf("a corrupt last record: err %v, ignored %d; want it ignored", err, info.Ignored)
	}
}

func TestJournalCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.state")
	w := journalOf(t, path)
	for v := uint64(1010); v < 1500; v++ {
		w.Sending(Entry{Visit: v, Hits: 2, From: 0, To: 2})
		w.Answered(v, 2, 0, 2, OK)
	}
	before, _ := os.Stat(path)
	if err := w.Compact(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if after.Size() >= before.Size()/4 {
		t.Errorf("compacted to %d bytes from %d", after.Size(), before.Size())
	}
	w.Sending(Entry{Visit: 1600, Hits: 1, From: 0, To: 1})
	w.Answered(1600, 1, 0, 1, OK)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, _, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkHistory2 := func() {
		if v, h := s.SettledIn(1000); v != 1+490+1 || h != 3+980+1 {
			t.Errorf("day 1: %d settled visits, %d hits; want 492, 984", v, h)
		}
	}
	checkHistory2()
	if !s.Settled(1499) || s.Settled(1500) || !s.Settled(1600) {
		t.Error("settled visits lost in compaction")
	}
	if got := s.Hits(1001); !reflect.DeepEqual(got, []Outcome{OK, Failed, None, None}) {
		t.Errorf("visit 1001 after compaction: %v", got)
	}
}

func TestJournalRefusesBadInput(t *testing.T) {
	hdr := appendFrame(nil, append([]byte{kindHeader}, `{"format":"trafficinator.journal/v1","scenario":"s","digest":"d","seed":1,"run_id":"r","mode":"backfill","stride":10}`...))
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a trafficinator journal"},
		{"a report", []byte(`{"version":"trafficinator.report/v1"}`), "not a trafficinator journal"},
		{"other format", appendFrame(nil, append([]byte{kindHeader}, `{"format":"x/v9"}`...)), `byte 0: format "x/v9"`},
		{"bad entry", append(append([]byte{}, hdr...), appendFrame(nil, appendEntry([]byte{kindEntries}, new(uint64), Entry{Visit: 1, Hits: 2, From: 1, To: 3, Outcome: OK}))...), "record 2): invalid entry: visit 1, hits 1..3 of 2"},
		{"unknown kind", append(append([]byte{}, hdr...), appendFrame(nil, []byte("Zzz"))...), `unknown record kind 'Z'`},
	}
	for _, c := range cases {
		_, _, err := Read(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestJournalMaybeCompact: small growth is left as it is; past compactAt
// (and the snapshot's size) the file is rewritten, its state unchanged.
// Without compaction the file would be over 5 MB.
func TestJournalMaybeCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.state")
	w := journalOf(t, path)
	defer func() { _ = w.Close() }()
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	if err := w.MaybeCompact(); err != nil || size() != before {
		t.Fatalf("compacted %d bytes of growth (err %v)", before, err)
	}
	const n = 1_000_000 // visits of one hit, 5 bytes of entry each
	for v := uint64(10_000); v < 10_000+n; v++ {
		w.Answered(v, 1, 0, 1, OK)
	}
	if err := w.Sending(Entry{Visit: 5000, Hits: 1, From: 0, To: 1}); err != nil {
		t.Fatal(err)
	}
	// 5 MB of entries were written; the sync loop may have compacted
	// already, MaybeCompact does if it has not: either way the file is
	// now a snapshot (a few KB) and less than compactAt of entries.
	if err := w.MaybeCompact(); err != nil {
		t.Fatal(err)
	}
	if after := size(); after > compactAt+64<<10 {
		t.Errorf("%d bytes after 5 MB of entries: not compacted", after)
	}
	s, _, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, h := s.SettledIn(500_000); v != 1000 || h != 1000 {
		t.Errorf("day 500 after compaction: %d settled visits, %d hits; want 1000, 1000", v, h)
	}
	if !s.Settled(10_000+n-1) || s.Settled(10_000+n) {
		t.Error("settled visits lost")
	}
}

// TestJournalSendingReportsWriteErrors: once a write fails, Sending
// returns the error (the caller must not send) and journals nothing more.
func TestJournalSendingReportsWriteErrors(t *testing.T) {
	w, err := Create(filepath.Join(t.TempDir(), "run.state"), NewState(testHeader()))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Sending(Entry{Visit: 1, Hits: 2, From: 0, To: 1}); err != nil {
		t.Fatal(err)
	}
	_ = w.f.Close() // the disk goes away
	if err := w.Sending(Entry{Visit: 1, Hits: 2, From: 1, To: 2}); err == nil || !strings.Contains(err.Error(), "writing the journal") {
		t.Fatalf("Sending after a failed write: %v", err)
	}
	if err := w.Sending(Entry{Visit: 2, Hits: 1, From: 0, To: 1}); err == nil {
		t.Fatal("Sending after an error succeeded")
	}
	var hs []Outcome
	w.View(func(s *State) { hs = s.Hits(2) })
	if hs != nil {
		t.Errorf("visit 2 journalled after the error: %v", hs)
	}
	if w.Err() == nil {
		t.Error("Err is nil")
	}
}
