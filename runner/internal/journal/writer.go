package journal

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// fsyncs are batched: at most one every SyncEvery, and only once
// SyncEveryHits hits were journalled since the last one, or SyncAtLeast
// has passed with anything unsynced (a slow run is durable within a
// second too). A process that is killed loses nothing: what was written is
// in the page cache; the syncs bound what a power loss can take. Syncing
// more often, every 1,000 hits whatever the time, cost 4–6 % of a bulk
// backfill's throughput at 150k hits/s (BenchmarkBackfillJournal).
const (
	SyncEvery     = 100 * time.Millisecond
	SyncEveryHits = 1000
	SyncAtLeast   = time.Second
)

// Writer appends to a journal and keeps its State. Sending returns only
// once its entry is written to the file (not necessarily synced), so a hit
// is never sent before the journal says it may have been. Callers that
// arrive while a write is in progress are written together by the next
// one (group commit), so the cost is one write per batch of hits, not per
// hit.
type Writer struct {
	path string
	// syncMu is held while the file is synced or swapped (Compact), so
	// that a sync never runs on a closed file. Lock order: syncMu, mu.
	syncMu sync.Mutex
	mu     sync.Mutex
	cond   sync.Cond
	st     *State
	f      *os.File // nil: in memory only
	buf    []byte   // the record being collected: kind byte, then entries
	spare  []byte
	frame  []byte // scratch of the goroutine that writes (writing is true)
	prev   uint64 // the last visit in buf (entries are delta-encoded)
	gen    uint64 // number of the record being collected
	wrote  uint64 // number of the last record written
	synced uint64 // number of the last record synced
	// writing says a goroutine is writing a record, with mu released.
	writing  bool
	unsynced int // hits journalled as sending since the last sync
	err      error
	closed   bool
	// appended is the size of the records written since the last
	// snapshot, snapshot the size of that snapshot (MaybeCompact).
	appended, snapshot int64
	quit               chan struct{}
	stopped            chan struct{}
}

// Create writes a new journal at path holding st (an empty state for a
// new run, or the state of the run being resumed) and returns a writer
// that appends to it. The file is replaced atomically: written beside,
// synced, then renamed over path.
func Create(path string, st *State) (*Writer, error) {
	w := newWriter(st)
	w.path = path
	f, err := w.rewrite()
	if err != nil {
		return nil, err
	}
	w.f = f
	go w.syncLoop()
	return w, nil
}

// InMemory returns a writer that keeps st up to date and writes nothing:
// the accounting of a run without a journal file.
func InMemory(st *State) *Writer {
	w := newWriter(st)
	close(w.stopped)
	return w
}

func newWriter(st *State) *Writer {
	w := &Writer{st: st, gen: 1, quit: make(chan struct{}), stopped: make(chan struct{})}
	w.cond.L = &w.mu
	w.buf = []byte{kindEntries}
	w.spare = []byte{kindEntries}
	return w
}

// Path is the file written ("" in memory).
func (w *Writer) Path() string { return w.path }

// Sending journals the hits of entries (their Outcome is ignored) as
// about to be sent, and returns once that is written. After a write
// error it journals nothing and returns the error: the hits must not be
// sent, or a resume could send them again.
func (w *Writer) Sending(entries ...Entry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	for _, e := range entries {
		e.Outcome = Sending
		w.addLocked(e)
		w.unsynced += e.To - e.From
	}
	w.waitWrittenLocked(w.gen)
	return w.err
}

// Answered journals the outcome o of hits [from, to) of visit v. It does
// not wait: the entry goes out with the next record.
func (w *Writer) Answered(v uint64, hits, from, to int, o Outcome) {
	w.mu.Lock()
	w.addLocked(Entry{Visit: v, Hits: hits, From: from, To: to, Outcome: o})
	w.mu.Unlock()
}

func (w *Writer) addLocked(e Entry) {
	if !w.st.apply(e) {
		panic(fmt.Sprintf("journal: invalid entry %+v", e)) // a caller's bug
	}
	if w.f != nil {
		w.buf = appendEntry(w.buf, &w.prev, e)
	}
}

// waitWrittenLocked returns once record g is written, writing it (and
// what joined it) itself when no other goroutine is writing.
func (w *Writer) waitWrittenLocked(g uint64) {
	for w.f != nil && w.wrote < g && w.err == nil {
		if w.writing {
			w.cond.Wait()
			continue
		}
		w.writeLocked()
	}
}

// writeLocked writes the record being collected; mu is released during
// the write.
func (w *Writer) writeLocked() {
	g, data := w.gen, w.buf
	w.gen++
	w.buf, w.spare, w.prev = w.spare[:1], nil, 0
	if len(data) <= 1 {
		w.wrote, w.spare = g, data
		return
	}
	w.writing = true
	w.mu.Unlock()
	w.frame = appendFrame(w.frame[:0], data)
	_, err := w.f.Write(w.frame)
	w.mu.Lock()
	w.appended += int64(len(w.frame))
	w.writing = false
	w.wrote, w.spare = g, data
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("writing the journal %s: %w", w.path, err)
	}
	w.cond.Broadcast()
}

// syncLoop writes what is pending every SyncEvery, syncs the file when
// SyncEveryHits hits or SyncAtLeast went by since the last sync, and
// compacts it when it has grown enough (MaybeCompact). A compaction may run while hits are in
// flight: the snapshot holds them as sending, and the entries still
// pending, written after it, set what it already has (each entry sets the
// state of its hits, so replaying the last ones again changes nothing).
func (w *Writer) syncLoop() {
	defer close(w.stopped)
	t := time.NewTicker(SyncEvery)
	defer t.Stop()
	lastSync := time.Now()
	for {
		select {
		case <-t.C:
		case <-w.quit:
			w.flush(true)
			return
		}
		w.mu.Lock()
		due := w.unsynced >= SyncEveryHits || time.Since(lastSync) >= SyncAtLeast
		w.mu.Unlock()
		if w.flush(due) {
			lastSync = time.Now()
		}
		// Bounded at all times, not only between days: a day of millions
		// of visits journals hundreds of MB of entries before its end.
		_ = w.MaybeCompact() // an error stays in w.err
	}
}

// flush writes what is pending and, when sync is true, syncs the file if
// anything was written since the last sync. It says whether it synced.
func (w *Writer) flush(sync bool) bool {
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	w.mu.Lock()
	w.waitWrittenLocked(w.gen)
	f, upTo, need := w.f, w.wrote, sync && w.wrote > w.synced
	if need {
		w.unsynced = 0
	}
	w.mu.Unlock()
	if !need || f == nil {
		return false
	}
	err := f.Sync()
	w.mu.Lock()
	w.synced = max(w.synced, upTo)
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("syncing the journal %s: %w", w.path, err)
	}
	w.mu.Unlock()
	return true
}

// compactAt is the least growth since the last snapshot for MaybeCompact
// to compact: below it a rewrite (two fsyncs) costs more than it saves.
const compactAt = 4 << 20

// MaybeCompact compacts when the records appended since the last
// snapshot are over compactAt and larger than the snapshot itself, so
// that the file stays within about twice its compacted size (or
// compactAt), and a run does not pay a rewrite for every small day.
func (w *Writer) MaybeCompact() error {
	w.mu.Lock()
	grown := w.appended > compactAt && w.appended > w.snapshot
	w.mu.Unlock()
	if !grown {
		return w.Err()
	}
	return w.Compact()
}

// Compact replaces the file by its header and a snapshot of the state,
// atomically: what the journal says is unchanged, its size is that of the
// visits not yet settled plus one bit per settled visit.
func (w *Writer) Compact() error {
	if w.f == nil {
		return nil
	}
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waitWrittenLocked(w.gen)
	if w.err != nil {
		return w.err
	}
	f, err := w.rewrite()
	if err != nil {
		w.err = err
		return err
	}
	_ = w.f.Close()
	w.f = f
	w.synced = w.wrote
	return nil
}

// rewrite writes the header and a snapshot of the state to a new file
// beside path, syncs it, renames it over path and returns it open for
// appending.
func (w *Writer) rewrite() (*os.File, error) {
	hdr, err := json.Marshal(w.st.Header)
	if err != nil {
		return nil, err
	}
	data := appendFrame(nil, append([]byte{kindHeader}, hdr...))
	data = appendFrame(data, appendSnapshot([]byte{kindSnapshot}, w.st))
	w.appended, w.snapshot = 0, int64(len(data))
	tmp, err := os.CreateTemp(filepath.Dir(w.path), "."+filepath.Base(w.path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", w.path, err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return nil, fmt.Errorf("journal %s: %w", w.path, err)
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("journal %s: %w", w.path, err)
	}
	if err := os.Rename(tmp.Name(), w.path); err != nil {
		return nil, fmt.Errorf("journal %s: %w", w.path, err)
	}
	ok = true
	if d, err := os.Open(filepath.Dir(w.path)); err == nil {
		_ = d.Sync() // the rename is durable
		_ = d.Close()
	}
	return tmp, nil // its offset is at the end: appends follow
}

// View calls fn with the state; fn must not keep it.
func (w *Writer) View(fn func(*State)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fn(w.st)
}

// Err returns the first write or sync error.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Close writes and syncs what is pending and closes the file.
func (w *Writer) Close() error {
	if w.f == nil {
		return nil
	}
	select {
	case <-w.quit:
	default:
		close(w.quit)
	}
	<-w.stopped
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.err
	}
	w.closed = true
	if err := w.f.Close(); err != nil && w.err == nil {
		w.err = err
	}
	return w.err
}
