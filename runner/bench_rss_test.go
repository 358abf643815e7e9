package runner_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/runner"
	"github.com/trafficinator/trafficinator/runner/internal/loadtest"
)

// The memory benchmarks run the engine in a child process (this test
// binary again, running TestRSSChild) against a sink in this process, and
// read the child's resident memory from /proc: 10,000 visits in flight
// must fit in rssBudget, and the resident memory must not grow while the
// number in flight holds steady.
//
// BenchmarkRSS30s always runs (make bench); BenchmarkRSSSoak runs the same
// load for 5 minutes when TRAFFICINATOR_SOAK=1.
const (
	rssBudget = 150 << 20
	// A visit is 2 pageviews and a ping with one pause between the
	// pageviews: rssRate × rssPause visits are in flight from rssPause on,
	// with 3 × rssRate requests/s.
	rssRate     = 990              // visits/s
	rssPause    = 10 * time.Second // between the two pageviews
	rssInFlight = 10000            // run.concurrency: at most this many in flight
	// rssSettle is when the steady state starts: the first visits have
	// ended and the request rate is at its full 3 × rssRate.
	rssSettle = rssPause + 5*time.Second
	// rssGrowthLimit is how much the resident memory may rise between the
	// first and the last fifth of the steady state. The connection pool
	// may grow after a stall (at most 512 connections of about 30 KiB);
	// a leak of even 1 KiB per visit would be 15 MiB in the 15 s of steady
	// state of the 30-s benchmark, 280 MiB over the soak.
	rssGrowthLimit = 16 << 20
)

func BenchmarkRSS30s(b *testing.B) { benchRSS(b, 30*time.Second) }

func BenchmarkRSSSoak(b *testing.B) {
	if os.Getenv("TRAFFICINATOR_SOAK") != "1" {
		b.Skip("set TRAFFICINATOR_SOAK=1 for the 5-minute run")
	}
	benchRSS(b, 5*time.Minute)
}

func benchRSS(b *testing.B, d time.Duration) {
	if _, err := loadtest.ReadMemory("self"); err != nil {
		b.Skipf("no /proc here: %v", err)
	}
	s := startSink(b, loadtest.SinkConfig{})
	for range b.N {
		res := runChild(b, s.URL, d)
		b.ReportMetric(float64(res.peak)/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(float64(res.growth)/(1<<20), "RSS-growth-MiB")
		b.ReportMetric(float64(res.maxInFlight), "max-in-flight")
		b.ReportMetric(float64(res.stack)/(1<<20), "peak-stacks-MiB")
		b.ReportMetric(float64(res.heap)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(res.dropped), "dropped")
		if res.maxInFlight < rssInFlight*95/100 {
			b.Errorf("only %d visits in flight at most, want about %d", res.maxInFlight, rssInFlight)
		}
		if res.peak > rssBudget {
			b.Errorf("peak RSS %.1f MiB with %d visits in flight, budget %d MiB", float64(res.peak)/(1<<20), res.maxInFlight, rssBudget>>20)
		}
		if res.growth > rssGrowthLimit {
			b.Errorf("RSS grew by %.1f MiB during the steady state", float64(res.growth)/(1<<20))
		}
	}
	b.ReportMetric(0, "ns/op")
}

type childResult struct {
	peak        int64 // VmHWM at the end of the run
	growth      int64 // RSS at the end of the steady state minus at its start
	maxInFlight int64
	stack, heap int64 // the most goroutine stacks and heap spans in use, sampled every second
	dropped     int64
}

// runChild runs TestRSSChild for d and samples its memory every 250 ms.
func runChild(b *testing.B, url string, d time.Duration) childResult {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRSSChild$", "-test.count=1", "-test.timeout=0")
	cmd.Env = append(os.Environ(), fmt.Sprintf("TRAFFICINATOR_RSS_CHILD=%s %s %d %s %d", url, d, rssRate, rssPause, rssInFlight))
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	pid := strconv.Itoa(cmd.Process.Pid)
	type sample struct {
		at  time.Duration
		rss int64
	}
	var samples []sample
	var done atomic.Bool
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for !done.Load() {
			if m, err := loadtest.ReadMemory(pid); err == nil {
				samples = append(samples, sample{time.Since(start), m.RSS})
			}
			time.Sleep(250 * time.Millisecond)
		}
	}()
	var res childResult
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		lines = append(lines, line)
		if rest, ok := strings.CutPrefix(line, "RSSCHILD "); ok {
			if _, err := fmt.Sscanf(rest, "peak=%d inflight=%d stack=%d heap=%d dropped=%d", &res.peak, &res.maxInFlight, &res.stack, &res.heap, &res.dropped); err != nil {
				b.Fatalf("child said %q: %v", line, err)
			}
		}
	}
	err = cmd.Wait()
	done.Store(true)
	<-sampled
	if err != nil || res.peak == 0 {
		b.Fatalf("child: %v\n%s", err, strings.Join(lines, "\n"))
	}
	// The steady state: from rssSettle to the end of the arrivals; compare
	// the medians of its first and last fifths.
	var steady []int64
	for _, s := range samples {
		if s.at >= rssSettle && s.at <= d {
			steady = append(steady, s.rss)
		}
	}
	if n := len(steady) / 5; n > 0 {
		res.growth = median(steady[len(steady)-n:]) - median(steady[:n])
	}
	return res
}

// median is the middle value of xs, or the mean of the two middle ones.
func median[T int64 | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// TestRSSChild is the engine side of the memory benchmarks; it runs only
// when TRAFFICINATOR_RSS_CHILD is "URL DURATION RATE PAUSE CONCURRENCY"
// (rate in visits/s): visits of 2 pageviews and a ping, one pause long.
func TestRSSChild(t *testing.T) {
	arg := os.Getenv("TRAFFICINATOR_RSS_CHILD")
	if arg == "" {
		t.Skip("the child process of BenchmarkRSS30s")
	}
	var url, d, pause string
	var rate, concurrency int
	if _, err := fmt.Sscanf(arg, "%s %s %d %s %d", &url, &d, &rate, &pause, &concurrency); err != nil {
		t.Fatalf("TRAFFICINATOR_RSS_CHILD=%q: %v", arg, err)
	}
	p := compile(t, scenarioYAML(scenarioSpec{
		URL: url, Rate: fmt.Sprintf("%d/s", rate), Duration: d, Concurrency: concurrency,
		Pageviews: [2]int{2, 2}, Pause: [2]string{pause, pause}, Features: noFeatures,
	}))
	var maxInFlight atomic.Int64
	var peakStack, peakHeap uint64
	rep, err := runner.Run(context.Background(), p, runner.Options{
		RunID: "rss", NoPreflight: true, Grace: time.Minute,
		Progress: func(pr runner.Progress) {
			if pr.InFlight > maxInFlight.Load() {
				maxInFlight.Store(pr.InFlight)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peakStack, peakHeap = max(peakStack, ms.StackInuse), max(peakHeap, ms.HeapInuse)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// A busy machine may drop visits (reported); failed hits are a fault.
	c := rep.Total.Counters
	if c.Failed+c.Rejected > 0 {
		t.Fatalf("counters %+v", c)
	}
	m, err := loadtest.ReadMemory("self")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("RSSCHILD peak=%d inflight=%d stack=%d heap=%d dropped=%d\n", m.Peak, maxInFlight.Load(), peakStack, peakHeap, c.Dropped)
}
