package runner_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// BenchmarkUIThroughput measures what the live page (apply --ui) costs the
// engine: single-request windows at full speed with the page served, the
// run attached to it and two SSE clients reading, against the same
// windows without a page, alternating (see alternate). Its ratio of hits/s,
// page over none, must stay within 5 % (.ci/bench-ratios.txt: ≥ 0.95).
func BenchmarkUIThroughput(b *testing.B) {
	rate := benchRate(b, singleRate)
	alternate(b, "ui", "none", (*window).hitRate,
		func() window {
			return uiWindow(b, startSink(b, loadtest.SinkConfig{Token: testToken}), rate, alternateWindow)
		},
		func() window {
			return applyWindow(b, startSink(b, loadtest.SinkConfig{Token: testToken}), 0, rate, alternateWindow)
		})
}

// uiWindow is applyWindow with the live page up and two clients reading
// its event stream for the whole window.
func uiWindow(b *testing.B, s *loadtest.Sink, rate float64, d time.Duration) window {
	page, err := runner.ServeLivePage(runner.LivePageOptions{Addr: "127.0.0.1:0", Scenario: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = page.Close() }()
	ctx, cancel := context.WithCancel(context.Background())
	var readers sync.WaitGroup
	states := make([]int, 2)
	for i := range states {
		readers.Add(1)
		go func() {
			defer readers.Done()
			states[i] = readEvents(ctx, page.URL()+"events")
		}()
	}
	for page.Clients() < len(states) {
		time.Sleep(time.Millisecond)
	}
	p := benchScenario(b, s.URL, 0, rate, d)
	recorded := s.Stats().Recorded
	cpu0 := loadtest.ProcessCPU()
	rep, err := runner.Run(context.Background(), p, runner.Options{RunID: "bench", Grace: time.Minute, NoPreflight: true, Live: page.Attach})
	if err != nil {
		b.Fatal(err)
	}
	w := window{cpu: loadtest.ProcessCPU() - cpu0, wall: rep.Run.End.Sub(rep.Run.Start)}
	page.Finish(rep, nil)
	cancel()
	readers.Wait()
	c := rep.Total.Counters
	if c.Failed+c.Rejected > 0 || s.Stats().Recorded-recorded != c.OK {
		b.Fatalf("%d hits failed, %d rejected; sink recorded %d of %d", c.Failed, c.Rejected, s.Stats().Recorded-recorded, c.OK)
	}
	// One state before the run and about one a second during it.
	for i, n := range states {
		if n < int(d/time.Second) {
			b.Fatalf("SSE client %d read %d states in a %s window", i, n, d)
		}
	}
	w.requests, w.hits = float64(c.Requests), float64(c.OK)
	w.visits, w.dropped = float64(c.Visits), float64(c.Dropped)
	return w
}

// readEvents reads an event stream until ctx ends and counts its events.
func readEvents(ctx context.Context, url string) int {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	n := 0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if sc.Text() == "event: state" {
			n++
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return n
}
