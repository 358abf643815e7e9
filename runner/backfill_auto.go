package runner

import (
	"slices"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/plan"
	"github.com/trafficinator/trafficinator/runner/report"
)

// autoRate is rps: auto: the limiter that finds the rate, and the visits
// started each second of the run, from which the report tells the rate it
// settled on and how long it took.
type autoRate struct {
	lim    *exec.AIMD
	maxRPS float64
	start  time.Time

	mu     sync.Mutex
	perSec []int64 // visits started in each second since start
}

// newAutoRate returns nil unless the backfill asks for rps: auto.
func newAutoRate(bf *plan.Backfill, maxRPS float64, start time.Time) *autoRate {
	if bf == nil || !bf.AutoRPS {
		return nil
	}
	return &autoRate{lim: &exec.AIMD{Min: 1}, maxRPS: maxRPS, start: start}
}

// started counts a visit started at now.
func (a *autoRate) started(now time.Time) {
	s := int(now.Sub(a.start) / time.Second)
	a.mu.Lock()
	defer a.mu.Unlock()
	for len(a.perSec) <= s {
		a.perSec = append(a.perSec, 0)
	}
	a.perSec[s]++
}

// result is what the report says of the search, the run having ended at
// end.
func (a *autoRate) result(end time.Time) *report.AutoRate {
	a.mu.Lock()
	perSec := slices.Clone(a.perSec)
	a.mu.Unlock()
	if full := int(end.Sub(a.start) / time.Second); full < len(perSec) {
		perSec = perSec[:full] // the last second is partial
	}
	settled, converged := settle(perSec)
	return &report.AutoRate{SettledRPS: settled, ConvergedS: converged, Limit: a.lim.Limit(), Cuts: a.lim.Cuts(), MaxRPS: a.maxRPS}
}

// settle is the rate a run settled on, the median of the visits started
// per second over its second half, and the seconds until a 5-second
// average first reached 90% of it (the time to converge).
func settle(perSec []int64) (settled, converged float64) {
	if len(perSec) == 0 {
		return 0, 0
	}
	half := slices.Clone(perSec[len(perSec)/2:])
	slices.Sort(half)
	n := len(half)
	settled = float64(half[n/2])
	if n%2 == 0 {
		settled = float64(half[n/2-1]+half[n/2]) / 2
	}
	const avg = 5
	var sum int64
	for i, v := range perSec {
		sum += v
		if i >= avg {
			sum -= perSec[i-avg]
		}
		if w := min(i+1, avg); float64(sum)/float64(w) >= 0.9*settled {
			return settled, float64(i + 1)
		}
	}
	return settled, float64(len(perSec))
}
