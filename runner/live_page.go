package runner

import (
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/live"
)

// The live page (apply --ui) reads the same source as the metrics server,
// and more: Page is called about once a second, never per hit.
var _ live.PageSource = (*liveSource)(nil)

// Page implements live.PageSource.
func (s *liveSource) Page() live.PageState {
	pr := s.rt.progressSince(s.gate.exec, s.start)
	run := s.Run()
	pr.Elapsed = run.Elapsed // frozen at the end
	st := live.PageState{Phase: s.phase(), Progress: pr, Logs: s.rt.logs.last()}
	if b, ok := s.gate.exec.(*backfill); ok {
		st.Backfill = s.backfillState(b, pr)
	}
	return st
}

// phase tells running from grace: once arrivals end (a Ctrl-C or Stop on
// the page, a policy's abort, run.duration or run.max_visits reached, the
// schedule's or a backfill's end), the visits in flight have the grace
// period to finish.
func (s *liveSource) phase() string {
	if s.ended.Load() != 0 {
		return live.PhaseDone
	}
	select {
	case <-s.gate.exec.Stopping():
		return live.PhaseGrace
	default:
		return live.PhaseRunning
	}
}

// disabledReason says why a target is out: a policy, or the preflight.
func (s *liveSource) disabledReason(name string, enabled bool) string {
	if enabled {
		return ""
	}
	s.gate.mu.Lock()
	d, ok := s.gate.disabled[name]
	s.gate.mu.Unlock()
	if ok {
		return d.Reason
	}
	if d, ok := s.rt.preDisabled[name]; ok { // written before the run, read-only since
		return d.Reason
	}
	return "disabled in the scenario"
}

// dayCursor counts a backfill's days done: they run in order, so the
// days before the cursor stay done and each read tallies a day or two.
type dayCursor struct {
	mu   sync.Mutex
	done int
}

func (s *liveSource) backfillState(b *backfill, pr Progress) *live.BackfillState {
	days := s.rt.plan.Backfill.Days
	s.days.mu.Lock()
	for s.days.done < len(days) && b.tally(days[s.days.done]).Complete {
		s.days.done++
	}
	st := &live.BackfillState{Days: len(days), DaysDone: s.days.done}
	s.days.mu.Unlock()
	if b.auto != nil {
		st.AutoLimit = b.auto.lim.Limit()
		// The settled rate is the median of the run's second half: it
		// means something after a few seconds, and at the end it is the
		// report's.
		if end := b.started.Add(pr.Elapsed); pr.Elapsed >= autoSettleAfter || s.ended.Load() != 0 {
			st.SettledRPS = b.auto.result(end).SettledRPS
		}
	}
	return st
}

// autoSettleAfter is how long rps: auto searches before the page shows a
// settled rate.
const autoSettleAfter = 10 * time.Second
