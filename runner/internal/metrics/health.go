package metrics

// Health of a target, derived from its figures over the last minute. The
// thresholds live here and nowhere else; docs/policies.md quotes them.
const (
	HealthUnknown  = "unknown"  // no answered hit in the window
	HealthHealthy  = "healthy"  // error rate below DegradedErrorRate
	HealthDegraded = "degraded" // error rate below FailingErrorRate
	HealthFailing  = "failing"  // error rate at or above FailingErrorRate

	DegradedErrorRate = 0.05
	FailingErrorRate  = 0.30
)

// HealthOf classifies a window of figures.
func HealthOf(s Snapshot) string {
	c := s.Counters
	if c.OK+c.Rejected+c.Failed+c.Unknown == 0 {
		return HealthUnknown
	}
	switch r := c.ErrorRate(); {
	case r >= FailingErrorRate:
		return HealthFailing
	case r >= DegradedErrorRate:
		return HealthDegraded
	}
	return HealthHealthy
}
