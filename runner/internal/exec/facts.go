package exec

import (
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// VisitFacts are what a visit adds to the report's sent figures when its
// hits are recorded: its referrer type and country as Matomo reports them,
// whether its visitor is new, and its orders.
type VisitFacts struct {
	ReferrerType string // direct, search, social, website or campaign
	Country      string // lower-case code; "" without cip
	// Returning: the visitor visited before in the run (not a unique
	// visitor again).
	Returning bool
	Orders    []OrderFacts
	// Counted: an earlier run of the same backfill recorded some of the
	// visit's hits (resume), which counted the visit; PriorLast is the cdt
	// of the last of them, where the rest of its duration starts.
	Counted   bool
	PriorLast int64
	// Visitor is the visit's _id as a number, for the unique visitors of
	// a day (metrics.ExpectConfig.Returning).
	Visitor uint64
	// Sample, when set, is the visit as Live would show it, for the
	// report's sample of visits (metrics' sampler): offered under
	// SampleKey when all SampleHits hits of the visit were answered ok.
	Sample     *kind.LiveVisit
	SampleKey  uint64
	SampleHits int
}

// OrderFacts are the amounts of one order as sent, in cents.
type OrderFacts struct {
	Items                                      int64
	Revenue, Subtotal, Tax, Shipping, Discount int64
}

// recordSent counts what the visit got recorded: outs are the outcomes of
// job.Hits (nil: none known, nothing counts).
func recordSent(t *Target, job *Job, outs []HitOutcome) {
	if outs != nil {
		t.Recorder.RecordSent(sentOf(job, outs))
	}
}

// CarrySent counts what earlier attempts of a resumed backfill got
// recorded of job's visit (metrics.Recorder.CarrySent): job is the whole
// visit, outs the journal's outcomes of its hits.
func CarrySent(t *Target, job *Job, outs []HitOutcome) {
	t.Recorder.CarrySent(sentOf(job, outs))
}

// sentOf is what the visit got recorded, by the outcomes of job.Hits.
func sentOf(job *Job, outs []HitOutcome) metrics.SentVisit {
	f := &job.Facts
	s := metrics.SentVisit{Counted: f.Counted, NewVisitor: !f.Returning, ReferrerType: f.ReferrerType, Country: f.Country, Visitor: f.Visitor}
	first, last := f.PriorLast, f.PriorLast
	allOK := len(outs) == len(job.Hits)
	for i := range job.Hits {
		if i >= len(outs) || outs[i] != HitOK {
			allOK = false
			continue
		}
		h := &job.Hits[i]
		if h.Kind < kind.NumHitKinds {
			s.Hits[h.Kind]++
		}
		if !s.Recorded && first == 0 {
			first = h.At
		}
		s.Recorded = true
		last = max(last, h.At)
		if h.Order > 0 && int(h.Order) <= len(f.Orders) {
			o := &f.Orders[h.Order-1]
			s.Orders++
			s.Items += o.Items
			s.Revenue += o.Revenue
			s.Subtotal += o.Subtotal
			s.Tax += o.Tax
			s.Shipping += o.Shipping
			s.Discount += o.Discount
		}
	}
	s.DurationS = max(last-first, 0)
	s.Last = last
	if f.Sample != nil && allOK && !f.Counted && len(job.Hits) == f.SampleHits {
		s.Sample, s.SampleKey = f.Sample, f.SampleKey
	}
	return s
}
