package plan

import (
	"path/filepath"

	"github.com/trafficinator/trafficinator/scenario"
)

func (p *Plan) compileTraffic(s *scenario.Scenario) {
	t := &s.Traffic
	tr := Traffic{
		URLs:         URLs{Builtin: true},
		PageviewsMin: DefaultPageviewsMin, PageviewsMax: DefaultPageviewsMax,
		PauseMin: Duration(DefaultPauseMin), PauseMax: Duration(DefaultPauseMax),
		DurationMin: Duration(DefaultDurationMin), DurationMax: Duration(DefaultDurationMax),
		Sources: sources(t.Sources),
	}
	if u := t.URLs; u != nil && !u.Builtin {
		tr.URLs = URLs{List: u.List}
		if u.File != "" {
			tr.URLs.File = u.File
			if !filepath.IsAbs(u.File) && p.File != "" {
				tr.URLs.File = filepath.Join(filepath.Dir(p.File), u.File)
			}
			tr.URLs.FileDigest = fileDigest(tr.URLs.File)
		}
	}
	if r := t.Pageviews; r != nil {
		tr.PageviewsMin, tr.PageviewsMax = r.Min, r.Max
	}
	if r := t.Pause; r != nil {
		tr.PauseMin, tr.PauseMax = Duration(r.Min.D), Duration(r.Max.D)
	}
	if r := t.VisitDuration; r != nil {
		tr.DurationMin, tr.DurationMax = Duration(r.Min.D), Duration(r.Max.D)
	}
	if t.Returning != nil {
		tr.Returning = *t.Returning
	}
	p.Traffic = tr
}

// sources resolves the referrer mix so that it adds up to exactly 1.
// Omitted non-direct shares take their defaults. An omitted direct share
// is what the others leave. A given direct share is kept exactly (legacy
// defect 8 let it drift), and whatever it leaves over is spread over
// search, social, referral and campaign in proportion to their shares.
// Campaign defaults to 0, so scenarios without it keep their mix.
func sources(s *scenario.Sources) Sources {
	out := Sources{Search: DefaultSearchShare, Social: DefaultSocialShare, Referral: DefaultReferralShare}
	var direct *float64
	if s != nil {
		set(&out.Search, s.Search)
		set(&out.Social, s.Social)
		set(&out.Referral, s.Referral)
		set(&out.Campaign, s.Campaign)
		direct = s.Direct
	}
	others := out.Search + out.Social + out.Referral + out.Campaign
	if direct == nil {
		out.Direct = max(1-others, 0)
		if others > 1 { // validation rejects this; keep the plan sane anyway
			scale(&out, 1/others)
		}
		return out
	}
	out.Direct = *direct
	switch rest := 1 - out.Direct; {
	case others > 0:
		scale(&out, rest/others)
	default:
		out.Direct = 1 // nothing else to send: every visit is direct
	}
	return out
}

func set(dst *float64, v *float64) {
	if v != nil {
		*dst = *v
	}
}

func scale(s *Sources, f float64) {
	s.Search *= f
	s.Social *= f
	s.Referral *= f
	s.Campaign *= f
}
