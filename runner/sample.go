package runner

import (
	"github.com/trafficinator/trafficinator/runner/internal/exec"
	"github.com/trafficinator/trafficinator/runner/internal/metrics"
	"github.com/trafficinator/trafficinator/runner/internal/visit"
	"github.com/trafficinator/trafficinator/targets/kind"
)

// The report's sample of visits (report.Expected.Sample): per target, the
// VerifySample visits with the smallest sample key among those all of
// whose hits were answered ok. The key is a hash of (seed, run id, visit
// number), so the same run id samples the same visits and another run id
// others, however the visits were timed.

// defaultVerifySample is the sample size when Options.VerifySample is 0.
const defaultVerifySample = 50

// sampleSize is the sample size of opts: 0 is the default, negative none.
func sampleSize(opts Options) int {
	switch {
	case opts.VerifySample == 0:
		return defaultVerifySample
	case opts.VerifySample < 0:
		return 0
	}
	return opts.VerifySample
}

// sampler picks the visits of one target's sample.
type sampler struct {
	key uint64 // of the seed and the run id
	rec *metrics.Recorder
}

func newSampler(seed uint64, runID string, rec *metrics.Recorder) sampler {
	h := uint64(14695981039346656037) // FNV-1a of the run id
	for i := 0; i < len(runID); i++ {
		h = (h ^ uint64(runID[i])) * 1099511628211
	}
	return sampler{key: mix(seed ^ mix(h) ^ 0x3c6ef372fe94f82b), rec: rec}
}

// attach gives job the LiveVisit of v, placed, when visit n could enter
// the sample; the others cost one hash (and an atomic load).
func (s sampler) attach(job *exec.Job, v *visit.Visit, n uint64) {
	if s.rec == nil {
		return
	}
	key := mix(s.key ^ mix(n))
	if !s.rec.SampleCandidate(key) {
		return
	}
	job.Facts.Sample, job.Facts.SampleKey, job.Facts.SampleHits = liveVisit(v), key, len(v.Hits)
}

// liveVisit is v, placed, as Live.getLastVisitsDetails would show it: its
// actions in order (pings are not actions; an order is one), and the
// times of its first and last hit, which Live's firstActionTimestamp and
// lastActionTimestamp are (a ping moves visit_last_action_time too).
func liveVisit(v *visit.Visit) *kind.LiveVisit {
	lv := &kind.LiveVisit{VisitorID: v.VisitorID, Actions: make([]kind.LiveAction, 0, len(v.Hits))}
	orders := 0
	for i := range v.Hits {
		h := &v.Hits[i]
		at := v.Start.Add(h.Offset).Unix()
		if i == 0 {
			lv.First = at
		}
		lv.Last = max(lv.Last, at)
		a := kind.LiveAction{Timestamp: at}
		p := h.Params
		switch h.Kind {
		case visit.Pageview:
			a.Type, a.URL = kind.LivePageview, get(p, "url")
		case visit.SiteSearch:
			a.Type, a.Keyword = kind.LiveSearch, get(p, "search")
		case visit.Outlink:
			a.Type, a.URL = kind.LiveOutlink, get(p, "link")
		case visit.Download:
			a.Type, a.URL = kind.LiveDownload, get(p, "download")
		case visit.Event:
			a.Type, a.URL = kind.LiveEvent, get(p, "url")
			a.EventCategory, a.EventAction = get(p, "e_c"), get(p, "e_a")
		case visit.Order:
			a.Type, a.OrderID = kind.LiveOrder, get(p, "ec_id")
			if orders < len(v.Orders) {
				a.RevenueCents = v.Orders[orders].Revenue
			}
			orders++
		default:
			continue // the ping
		}
		lv.Actions = append(lv.Actions, a)
	}
	return lv
}

func get(p kind.Params, key string) string {
	s, _ := p.Get(key)
	return s
}

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
