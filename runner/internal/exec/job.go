// Package exec runs visits against targets at the planned arrival times:
// the open-model scheduler, the concurrency cap, real pauses, bulk
// batching, stop conditions and the grace period. It knows nothing of how a
// visit is made: a target's Build function turns a visit index into a Job.
package exec

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// Job is one visit, ready to send: its hits, already encoded by the
// target's kind (targets/kind.Encoder), in order.
type Job struct {
	UserAgent string
	// Visit is the visit's number and VisitHits how many hits it has
	// (backfill, for the journal: a resumed visit's job carries only the
	// hits left to send).
	Visit     uint64
	VisitHits int
	Hits      []JobHit
	// Funnel names the funnel the visit follows ("" for a random visit);
	// FunnelSteps is how many steps it has.
	Funnel      string
	FunnelSteps int
	// Facts are what the report counts of the visit once it ends, by the
	// outcomes of its hits (metrics.Sent).
	Facts VisitFacts
	// Retaken, for a visit of a resumed backfill, is what earlier attempts
	// counted of the hits this job sends again: taken back from the
	// target's counters when the job starts (metrics.Recorder.Retake), so
	// that each hit counts once, with its last outcome.
	Retaken *metrics.Account
	// Release, when set, is called once the visit is over (every hit
	// answered or counted unsent): the queries may share a buffer that
	// Release hands to the next visit, so nothing may read them after.
	Release func()
}

// release calls j.Release, if any.
func (j *Job) release() {
	if j.Release != nil {
		j.Release()
	}
}

// JobHit is one encoded hit. Pause is the real time to wait before it.
type JobHit struct {
	// Payload is the hit in the target's wire format; the executor only
	// hands it to the target's Sender.
	Payload string
	Kind    kind.HitKind
	Pause   time.Duration
	Step    int // the funnel step it belongs to, 1-based; 0 outside funnels
	// Index is the hit's place in its visit; a resumed backfill sends
	// only some of a visit's hits, and journals them under this index.
	Index int
	// At is the hit's cdt in Unix seconds (the visit's duration in
	// Matomo runs from its first to its last recorded cdt).
	At int64
	// Order is the 1-based index in Facts.Orders of the order this hit
	// sends; 0 for any other hit.
	Order int32
}

// Sender sends hits to one target: an opened target of any kind.
type Sender = kind.Sender

// Target is one destination of visits.
type Target struct {
	Name     string
	Sender   Sender
	Bulk     int // hits per bulk request; 0 sends one request per hit
	Recorder *metrics.Recorder
	// Build makes visit index's job; start is when the visit begins.
	Build func(index uint64, start time.Time) Job
	// Count, when set, returns the number of hits of visit index, to count
	// a dropped visit more cheaply than by building it.
	Count func(index uint64) int

	batch   *batcher
	journal Journal // backfill only; nil: hits are not journalled
	limiter Limiter // backfill with rps: auto; nil: none learns from answers
}

// hits is the number of hits of visit index, for counting it dropped.
func (t *Target) hits(index uint64, start time.Time) int {
	if t.Count != nil {
		return t.Count(index)
	}
	job := t.Build(index, start)
	defer job.release()
	return len(job.Hits)
}
