package gates

import (
	"time"

	"github.com/trafficinator/trafficinator/scenario"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
)

// buildEnv fills the expression environment for one scope. empty is set
// when a window function was asked for a window with no answered request,
// so that the engine can refuse to fire on no data.
func buildEnv(sc Scope, elapsed time.Duration) (*scenario.PolicyEnv, *bool) {
	empty := new(bool)
	env := &scenario.PolicyEnv{
		Stats:    stats(sc.Snapshot, elapsed),
		ElapsedS: elapsed.Seconds(),
		Target:   sc.Target,

		OptionalUnavailable: sc.OptionalUnavailable,
	}
	if sc.Verified != nil {
		env.Verification = sc.Verified.Values
	}
	window := func(span string) scenario.PolicyStats {
		d, err := scenario.ParsePolicySpan(span)
		if err != nil || sc.Window == nil {
			*empty = true
			return scenario.PolicyStats{Status: map[string]int64{}}
		}
		w := sc.Window(d)
		if noSamples(w) {
			*empty = true
		}
		return stats(w, min(d, elapsed))
	}
	env.Window = window
	env.ErrorRateOver = func(span string) float64 { return window(span).ErrorRate }
	env.P95Over = func(span string) float64 { return window(span).P95Ms }
	return env, empty
}

// stats turns a snapshot into expression variables. rate is visits due
// (started or dropped) per second over span.
func stats(s metrics.Snapshot, span time.Duration) scenario.PolicyStats {
	c := s.Counters
	st := scenario.PolicyStats{
		Requests: c.Requests, Hits: c.Hits, Visits: c.Visits,
		Errors: c.ErrorCount(), ErrorRate: c.ErrorRate(),
		Rejected: c.Rejected, Failed: c.Failed, Unknown: c.Unknown, Unsent: c.Unsent,
		Dropped: c.Dropped, DroppedHits: c.DroppedHits, Retries: c.Retries,
		P50Ms: s.Percentile(50), P95Ms: s.Percentile(95), P99Ms: s.Percentile(99),
		Status: c.Status,
	}
	if st.Status == nil {
		st.Status = map[string]int64{}
	}
	if secs := span.Seconds(); secs > 0 {
		st.Rate = float64(c.Visits+c.Dropped) / secs
	}
	return st
}
