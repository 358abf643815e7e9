package livepage_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/live"
)

// stalledClients is how many streams never read in the test.
const stalledClients = 100

// paddedRows makes each state about 16 KiB: the run's two targets plus
// 62 rows of figures that do not change. At 50 states a second that is
// 800 KiB a second; a loopback socket takes about 2 MiB before a write to
// it blocks (whatever SO_RCVBUF the client asks), so the stalled clients
// fill up in seconds. Static rows keep the test's own garbage low, so
// that the heap measures the clients, not 64 targets' histograms.
const paddedRows = 62

// padded shows a run's source with static rows added.
type padded struct {
	live.PageSource
	rows []live.TargetState
}

func (p padded) Targets() []live.TargetState { return append(p.PageSource.Targets(), p.rows...) }

func padSource(src live.Source) live.Source {
	rows := make([]live.TargetState, paddedRows)
	for i := range rows {
		rows[i] = live.TargetState{Name: fmt.Sprintf("static-%02d", i), Enabled: true, Health: "healthy"}
		rows[i].Snapshot.Counters.Visits = int64(1000 + i)
	}
	return padded{src.(live.PageSource), rows}
}

// heapBound is what 100 stalled clients may add to the heap. Each holds,
// on the server, a goroutine, the connection's buffers (4 KiB to read, 4
// KiB to write), an http.response (about 1 KiB) and a queue of 8 pointers
// to events that every client shares: about 12 KiB, 1.2 MiB for all. The
// events they point at are at most (8+1)×100 distinct states of 16 KiB:
// 14 MiB in the worst case (in practice the clients stall together and
// share the same few). 24 MiB leaves room for the GC's noise. A copy of
// each state per client would pass it within a second (100 × 50 × 16 KiB
// = 80 MiB a second), and a queue without a bound never drops anyone.
const heapBound = 24 << 20

// TestStalledClientsAreDroppedAndCostBoundedMemory connects 100 event
// streams that never read (with a small receive buffer, so that the
// server's writes block soon) to the page of a real run publishing 50
// states a second. The page drops every one of them, the heap grows by
// less than heapBound, a client that reads gets its states all along,
// and the run keeps its rate.
func TestStalledClientsAreDroppedAndCostBoundedMemory(t *testing.T) {
	lr := startLiveRunEvery(t, sinkScenario("stalled", "50/s", ""), nil, 20*time.Millisecond, padSource)
	addr := strings.TrimSuffix(strings.TrimPrefix(lr.url, "http://"), "/")

	// A reader that keeps up.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var states atomic.Int64
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		req, _ := http.NewRequestWithContext(ctx, "GET", lr.url+"events", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if sc.Text() == "event: state" {
				states.Add(1)
			}
		}
	}()

	// The base: the run and its page going, with one reader; live heap
	// only (after a collection), here and at each sample below.
	for states.Load() < 10 {
		time.Sleep(10 * time.Millisecond)
	}
	base := liveHeap()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		_ = c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		return err
	}}
	for range stalledClients {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("GET /events HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
	}

	var peak uint64
	deadline := time.Now().Add(20 * time.Second)
	for lr.page.Dropped() < stalledClients {
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s, %d of %d stalled clients dropped (%d streams open)", lr.page.Dropped(), stalledClients, lr.page.Clients())
		}
		peak = max(peak, liveHeap())
		time.Sleep(100 * time.Millisecond)
	}
	growth := int64(peak) - int64(base)
	t.Logf("%d stalled clients dropped; heap %d KiB before, peak %d KiB (growth %d KiB, bound %d KiB); %d states read by the reader",
		stalledClients, base>>10, peak>>10, growth>>10, heapBound>>10, states.Load())
	if growth > heapBound {
		t.Errorf("the heap grew by %d KiB with %d stalled clients, want at most %d KiB", growth>>10, stalledClients, heapBound>>10)
	}
	if got := lr.page.Clients(); got != 1 {
		t.Errorf("%d streams open once the stalled ones are dropped, want 1 (the reader)", got)
	}

	// The reader kept up all along; the run is not held back.
	before := states.Load()
	time.Sleep(500 * time.Millisecond)
	if after := states.Load(); after-before < 10 || before < 20 {
		t.Errorf("the reading client got %d states, then %d in 500 ms; want at least 20, then 10", before, after-before)
	}
	cancel()
	<-readerDone
	_, page := get(t, lr.url)
	req, _ := http.NewRequest("POST", lr.url+"stop", nil)
	req.Header.Set("X-CSRF-Token", csrfOf(t, page))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	lr.wait(t, 15*time.Second)
	if r := lr.rep.Total.Planned.Rate; r.Planned == 0 || r.Achieved/r.Planned < 0.95 {
		t.Errorf("the run achieved %.1f visits/s of %.1f planned with the stalled clients, want 95%%", r.Achieved, r.Planned)
	}
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
