package runner

import (
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/report"
)

// seriesStep is the width of a time-series bucket in the report.
const seriesStep = 10 * time.Second

// series samples every target's counters each seriesStep and keeps the
// differences: visits, hits, errors and dropped per bucket, plus the p95 of
// the bucket's latencies.
type series struct {
	mu     sync.Mutex
	start  time.Time
	next   time.Time
	prev   map[string]metrics.Counters
	points map[string][]report.Point
}

func newSeries(start time.Time) *series {
	return &series{start: start, next: start.Add(seriesStep), prev: map[string]metrics.Counters{}, points: map[string][]report.Point{}}
}

// maybeSample takes a sample when a bucket has ended.
func (s *series) maybeSample(now time.Time, rt *runtime) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.next) {
		return
	}
	s.sampleLocked(now, rt)
	s.next = s.next.Add(seriesStep)
	for !now.Before(s.next) {
		s.next = s.next.Add(seriesStep)
	}
}

// finish takes the last, partial bucket.
func (s *series) finish(now time.Time, rt *runtime) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sampleLocked(now, rt)
}

func (s *series) sampleLocked(now time.Time, rt *runtime) {
	t := now.Sub(s.start).Seconds()
	var total report.Point
	var totalWin metrics.Snapshot
	for _, tr := range rt.targets {
		snap := tr.recorder.Snapshot()
		win := tr.recorder.Window(seriesStep)
		totalWin.Merge(win)
		p := delta(t, snap.Counters, s.prev[tr.plan.Name], win)
		s.prev[tr.plan.Name] = snap.Counters
		s.points[tr.plan.Name] = append(s.points[tr.plan.Name], p)
		total.Visits += p.Visits
		total.Hits += p.Hits
		total.Errors += p.Errors
		total.Dropped += p.Dropped
	}
	total.T = t
	total.P95Ms = totalWin.Percentile(95)
	s.points[""] = append(s.points[""], total)
}

func delta(t float64, cur, prev metrics.Counters, win metrics.Snapshot) report.Point {
	return report.Point{
		T:       t,
		Visits:  cur.Visits - prev.Visits,
		Hits:    cur.Hits - prev.Hits,
		Errors:  cur.ErrorCount() - prev.ErrorCount(),
		Dropped: cur.Dropped - prev.Dropped,
		P95Ms:   win.Percentile(95),
	}
}

// of returns the series of a target, or of the run for "".
func (s *series) of(name string) []report.Point {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.points[name]
}
