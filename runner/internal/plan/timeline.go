package plan

import (
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/pacing"
	"github.com/trafficinator/trafficinator/scenario"
)

// compileTimeline lays out the arrival rate. Without stages the rate is
// constant. With stages, each stage moves linearly from the rate before it
// (run.rate, or 0 when unset) to its own rate over its duration; after the
// last stage its rate is held until run.duration, or the run ends with the
// stages when there is no duration.
func (p *Plan) compileTimeline(s *scenario.Scenario, opts Options) {
	r := &s.Run
	rate := DefaultRatePerDay / 86400
	if r.Rate != nil {
		rate = r.Rate.PerSecond
	}
	end := time.Duration(0)
	if r.Duration != nil {
		end = r.Duration.D
	}
	if opts.Duration > 0 {
		end = opts.Duration
	}
	p.Stop = Stop{Duration: Duration(end), MaxVisits: r.MaxVisits, DailyCap: r.DailyCap}
	if opts.MaxVisits > 0 {
		p.Stop.MaxVisits = opts.MaxVisits
	}
	hold := rate
	if len(r.Stages) > 0 {
		from := 0.0
		if r.Rate != nil {
			from = rate
		}
		var at time.Duration
		for _, st := range r.Stages {
			seg := pacing.Segment{Start: at, End: at + st.Duration.D, From: from, To: st.Rate.PerSecond}
			p.Timeline = append(p.Timeline, seg)
			at, from = seg.End, seg.To
		}
		hold = from
		if end == 0 {
			hold = 0 // the stages are the whole run
		}
	}
	p.pacer = pacing.NewLinear(p.Timeline, hold, end)
	p.Stages = make([]Stage, 0, len(p.Timeline)+1)
	for _, seg := range p.Timeline {
		p.Stages = append(p.Stages, Stage{Start: Duration(seg.Start), End: Duration(seg.End), FromRate: seg.From, ToRate: seg.To})
	}
	var last time.Duration
	if n := len(p.Timeline); n > 0 {
		last = p.Timeline[n-1].End
	}
	if hold > 0 && (end == 0 || end > last) {
		p.Stages = append(p.Stages, Stage{Start: Duration(last), End: Duration(end), FromRate: hold, ToRate: hold})
	}
}
