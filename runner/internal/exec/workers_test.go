package exec

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWorkersRunEachStepOnce: every step runs exactly once, a burst
// leaves at most maxIdleWorkers goroutines behind, and close lets them go.
func TestWorkersRunEachStepOnce(t *testing.T) {
	base := runtime.NumGoroutine()
	w := newWorkers()
	var ran atomic.Int64
	var wg sync.WaitGroup
	for range 10000 {
		wg.Add(1)
		w.do(func() { ran.Add(1); wg.Done() })
	}
	wg.Wait()
	if ran.Load() != 10000 {
		t.Fatalf("%d steps ran, want 10000", ran.Load())
	}
	// A worker past the cap, or a timer goroutine of an earlier test, may
	// still be on its way out: wait a little for the count to settle.
	settle := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine()-base > maxIdleWorkers && time.Now().Before(settle) {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine() - base; n > maxIdleWorkers {
		t.Errorf("%d goroutines left, want at most %d idle workers", n, maxIdleWorkers)
	}
	w.close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines still running after close", runtime.NumGoroutine()-base)
		}
		time.Sleep(time.Millisecond)
	}
}
