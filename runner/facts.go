package runner

import (
	"strconv"
	"strings"

	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/journal"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
)

// visitFacts are what the report counts of v once its hits are answered
// (metrics.Sent), read from the visit's own fields: its source, the
// country of its cip, its orders, whether its visitor came before.
func visitFacts(v *visit.Visit) exec.VisitFacts {
	f := exec.VisitFacts{ReferrerType: referrerType(v.Source), Returning: v.VisitCount > 1, Visitor: visitorNumber(v.VisitorID)}
	if v.IP.IsValid() {
		// Matomo's UserCountry.getCountry names countries by lower-case
		// code (its "code"); the visit model keeps ISO's upper case.
		f.Country = strings.ToLower(v.Country)
	}
	if len(v.Orders) > 0 {
		f.Orders = make([]exec.OrderFacts, len(v.Orders))
		for i, o := range v.Orders {
			items := int64(0)
			for _, it := range o.Items {
				items += int64(it.Quantity)
			}
			f.Orders[i] = exec.OrderFacts{Items: items, Revenue: o.Revenue, Subtotal: o.Subtotal, Tax: o.Tax, Shipping: o.Shipping}
		}
	}
	return f
}

// referrerType names a visit source as Matomo's referrer types do
// (Referrers.getReferrerType, segment referrerType): a referral is a
// "website"; the other sources keep their names (direct, search, social,
// campaign).
func referrerType(s visit.Source) string {
	if s == visit.Referral {
		return "website"
	}
	return s.String()
}

// priorRecorded marks a resumed visit whose hits an earlier run got
// recorded: that run counted the visit (its visitor, referrer and
// country), and its duration up to the last of those hits. prior are the
// journal's outcomes of job's hits, before the job is trimmed.
func priorRecorded(job *exec.Job, prior []journal.Outcome) {
	for i, o := range prior {
		if o == journal.OK && i < len(job.Hits) {
			job.Facts.Counted = true
			job.Facts.PriorLast = max(job.Facts.PriorLast, job.Hits[i].At)
		}
	}
}

// visitorNumber is a visitor id (16 hex digits) as a number; 0 for
// anything else.
func visitorNumber(id string) uint64 {
	n, err := strconv.ParseUint(id, 16, 64)
	if err != nil {
		return 0
	}
	return n
}
