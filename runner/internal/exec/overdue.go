package exec

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// overdueChunk is how many overdue visits are routed before their hits
// are counted, in parallel.
const overdueChunk = 1 << 14

// dropOverdue ends arrivals at the wall-clock bound (run.duration). The
// arrivals from n on that the schedule had due before it never started:
// the arrival loop fell behind a rate it could not keep up with. In the
// open model a visit that was due and did not start is dropped, so they
// are counted dropped, with their hits, and the run says it stopped on its
// duration; when none was overdue, the schedule simply ended.
//
// Counting their hits takes about as long as making them would have
// (visit.CountHits): it runs on every CPU while the visits in flight get
// their grace period, and Run waits for it, so that the report is exact.
func (e *Executor) dropOverdue(n uint64, dc *dailyCap, now time.Time) string {
	if dc.full(now) {
		return ReasonCompleted // arrivals were paused: nothing was due
	}
	if !e.due(n) {
		return ReasonCompleted
	}
	e.overdue.Add(1)
	go func() {
		defer e.overdue.Done()
		total := int64(0)
		targets := make([]int, 0, overdueChunk)
		for more := true; more; {
			first := n
			targets = targets[:0]
			for len(targets) < overdueChunk {
				if more = e.due(n); !more {
					break
				}
				ti := e.Router.Next()
				if more = ti >= 0; !more {
					break
				}
				targets = append(targets, ti)
				n++
			}
			e.countDropped(first, targets, now)
			total += int64(len(targets))
		}
		e.Logf("run.duration of %s is over: %d visits that were due never started (the arrivals fell behind the rate); counted dropped", e.Duration, total)
	}()
	return ReasonDuration
}

// due reports whether arrival n is in the schedule, due before the
// wall-clock bound and under MaxVisits.
func (e *Executor) due(n uint64) bool {
	if e.MaxVisits > 0 && int64(n) >= e.MaxVisits {
		return false
	}
	d, ok := e.Pacer.Due(n)
	return ok && (e.Duration <= 0 || d < e.Duration)
}

// countDropped counts visits first, first+1 … dropped on targets, in
// parallel.
func (e *Executor) countDropped(first uint64, targets []int, now time.Time) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				k := int(next.Add(1)) - 1
				if k >= len(targets) {
					return
				}
				t := e.Targets[targets[k]]
				t.Recorder.RecordDropped(t.hits(first+uint64(k), now))
			}
		})
	}
	wg.Wait()
	e.arrivals.Add(int64(len(targets)))
}
