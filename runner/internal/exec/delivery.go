package exec

import "github.com/trafficinator/trafficinator/targets/kind"

// HitOutcome is what became of one hit of a visit.
type HitOutcome uint8

// Hit outcomes. HitUnsent is the zero value: a hit is unsent until it goes
// out.
const (
	HitUnsent   HitOutcome = iota // never sent (a stop, or the visit was cut after a failure)
	HitOK                         // Matomo answered that it recorded it
	HitRejected                   // Matomo refused it: sending it again gets the same answer
	HitFailed                     // provably not recorded (no connection, 5xx, 429/503 after retries)
	HitUnknown                    // sent, no answer known: Matomo may have recorded it
)

// Delivery is the outcome of each hit of one visit, in the job's order.
// Backfill accounts by visit with it (runner/backfill_accounting.go).
type Delivery struct {
	Hits []HitOutcome
}

// Count returns how many hits have outcome o.
func (d Delivery) Count(o HitOutcome) int {
	n := 0
	for _, h := range d.Hits {
		if h == o {
			n++
		}
	}
	return n
}

// Next is the index of the first hit not delivered: the first failed or
// unsent one, len(d.Hits) when there is none. Hits are sent in order and a
// backfill visit stops at its first failure, so the hits from Next on are
// exactly those to send again, in order.
func (d Delivery) Next() int {
	for i, h := range d.Hits {
		if h == HitUnsent || h == HitFailed {
			return i
		}
	}
	return len(d.Hits)
}

// outcomesOf spreads the counts of one request's result over its n hits,
// in order: ok first, then unknown, failed and rejected. A single request
// has one hit, so this is exact; so is a bulk request whose hits share one
// outcome (all ok, all failed on a 5xx, all unknown on a timeout). A bulk
// answer that counts some hits "invalid" without naming them cannot be
// attributed: the rejected hits are taken to be the last ones. Hits the
// counts leave out (a result that does not add up) are unknown: they were
// sent, and nothing says that Matomo did not record them.
func outcomesOf(res kind.Result, dst []HitOutcome) {
	counts := []struct {
		n int
		o HitOutcome
	}{{res.OK, HitOK}, {res.Unknown, HitUnknown}, {res.Failed, HitFailed}, {res.Rejected, HitRejected}}
	k := 0
	for _, c := range counts {
		for range c.n {
			if k == len(dst) {
				return
			}
			dst[k] = c.o
			k++
		}
	}
	for ; k < len(dst); k++ {
		dst[k] = HitUnknown
	}
}

// Journal is told of every hit of a backfill before it goes out and of its
// outcome once answered, so that a run killed at any moment can be resumed
// without sending a hit twice (runner/journal).
type Journal interface {
	// Sending returns once the hits of every group are recorded as about
	// to be sent; the caller sends them only after. A bulk request
	// journals all its groups at once, just before it goes out. An error
	// means they are not recorded: they are not sent (counted unsent).
	Sending(groups []Group) error
	// Answered records the outcomes of hits [from, to) of job.
	Answered(job *Job, from, to int, outcomes []HitOutcome)
}

// Group is hits [From, To) of a visit's job.
type Group struct {
	Job      *Job
	From, To int
}
