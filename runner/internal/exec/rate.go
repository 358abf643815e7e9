package exec

import "time"

// rateSchedule spaces the starts of a backfill's visits at a rate. It keeps
// the schedule rather than the last start: a sleep that overslept (timers
// on a loaded machine wake late, by a millisecond or more, which is four
// visits at 4,000 a second) is made up by starting the next visits at
// once. Without that, the run's rate was bounded by the timer's slack,
// not by rps: rps 4,000 started a few hundred visits a second. A stall
// longer than catchUp (a slow target holding every slot, a stop of the
// world) is not made up: the schedule moves on from catchUp ago, so the
// burst after it stays within catchUp's worth of visits.
type rateSchedule struct {
	every time.Duration // between starts
	next  time.Time     // when the next visit is due
}

// catchUp is how far behind the schedule may fall and still be made up.
const catchUp = 100 * time.Millisecond

func newRateSchedule(rps float64) *rateSchedule {
	return &rateSchedule{every: time.Duration(float64(time.Second) / rps)}
}

// due takes the next start and returns how long to wait for it from now
// (0: at once).
func (s *rateSchedule) due(now time.Time) time.Duration {
	if s.next.IsZero() {
		s.next = now // the first start: no backlog to make up
	}
	if floor := now.Add(-catchUp); s.next.Before(floor) {
		s.next = floor
	}
	wait := s.next.Sub(now)
	s.next = s.next.Add(s.every)
	return max(wait, 0)
}
