package metrics

import "github.com/trafficinator/trafficinator/targets/kind"

// A resumed backfill's report accounts for the whole job, not only for
// what the resume sent: a shard whose pod was killed has no report of its
// first attempt, and the journal is all that is left of it. So the resume
// counts what the journal holds of earlier attempts (Carry, CarrySent),
// and takes back what it sends again (Retake): a hit that failed before
// and is resent counts once, with its new outcome. Requests, latencies
// and status codes stay those of this process: they are the traffic it
// sent. The carried figures are also kept apart (Snapshot.Carried), so
// that rates are over this process's own visits.

// Account is what one visit adds to (Carry) or takes from (Retake) a
// target's counters: visits, hits by outcome and by kind.
type Account struct {
	Visits, Hits                          int64
	OK, Rejected, Failed, Unknown, Unsent int64
	HitsByKind                            [kind.NumHitKinds]int64
	// Funnel, for a funnel visit, is its funnel, the steps it sent and
	// how many it has (RecordFunnel's arguments).
	Funnel                  string
	FunnelSent, FunnelSteps int
}

// IsZero reports whether a adds nothing.
func (a *Account) IsZero() bool { return *a == Account{} }

// Carry adds what earlier attempts of a resumed backfill counted of one
// visit, as the journal has it.
func (r *Recorder) Carry(a Account) { r.addAccount(a, 1) }

// Retake takes back what earlier attempts counted of the hits a resumed
// visit sends again (and the visit itself, which this process counts when
// it starts it).
func (r *Recorder) Retake(a Account) { r.addAccount(a, -1) }

func (r *Recorder) addAccount(a Account, sign int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range [...]*Counters{&r.c, &r.carried} {
		c.Visits += sign * a.Visits
		c.Hits += sign * a.Hits
		c.OK += sign * a.OK
		c.Rejected += sign * a.Rejected
		c.Failed += sign * a.Failed
		c.Unknown += sign * a.Unknown
		c.Unsent += sign * a.Unsent
		for k, n := range a.HitsByKind {
			if n != 0 {
				if c.HitsByKind == nil {
					c.HitsByKind = map[string]int64{}
				}
				c.HitsByKind[kind.HitKind(k).String()] += sign * n
			}
		}
		if a.Funnel != "" {
			c.Funnels = addFunnel(c.Funnels, a.Funnel, a.FunnelSent, a.FunnelSteps, sign)
		}
	}
}

// CarrySent adds what earlier attempts got recorded of one visit: the
// sent figures, the expected figures by day and the sample, as RecordSent
// did in those attempts.
func (r *Recorder) CarrySent(v SentVisit) {
	if !v.Recorded {
		return
	}
	r.mu.Lock()
	r.c.Sent.add(v)
	r.carried.Sent.add(v)
	if r.exp != nil {
		r.exp.add(&v)
	}
	r.mu.Unlock()
}
