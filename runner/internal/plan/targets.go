package plan

import (
	"fmt"

	"github.com/trafficinator/trafficinator/scenario"
	"github.com/trafficinator/trafficinator/targets"
	"github.com/trafficinator/trafficinator/targets/kind"
)

func (p *Plan) compileTargets(s *scenario.Scenario) {
	base := defaultFeatures()
	base.apply(s.Traffic.Features)
	total := 0.0
	enabled := 0
	for _, st := range s.Targets {
		if st.IsEnabled() {
			total += st.EffectiveWeight()
			enabled++
		}
	}
	p.Targets = make([]Target, 0, len(s.Targets))
	for i := range s.Targets {
		st := &s.Targets[i]
		t := Target{Settings: SettingsOf(st), Weight: st.EffectiveWeight(), Enabled: st.IsEnabled()}
		t.Optional = st.Optional
		if t.Enabled && enabled > 0 {
			if p.Routing == "round-robin" {
				t.Share = 1 / float64(enabled)
			} else {
				t.Share = t.Weight / total
			}
		}
		f := base
		if f.Ecommerce != nil {
			c := *f.Ecommerce
			f.Ecommerce = &c
		}
		f.apply(st.Features)
		if st.IPHeader != "" {
			// The header carries each visit's address, which geo draws.
			f.Geo = true
		} else if f.Geo && st.TokenAuth == "" {
			f.Geo = false
			p.Warnings = append(p.Warnings, scenario.Diagnostic{
				File: p.File, Severity: scenario.SeverityWarning, Path: fmt.Sprintf("/targets/%d", i),
				Message: fmt.Sprintf("target %q has no token_auth: geo (cip) is turned off for it", st.Name),
			}.At(s.Source.Pos(fmt.Sprintf("/targets/%d/name", i), true)))
		}
		t.Features = f
		p.Targets = append(p.Targets, t)
	}
}

// checkCapacity warns when concurrency cannot carry the planned rate at
// the planned pauses. By Little's law, visits in flight ≈ arrival rate ×
// visit wall time, and a visit's wall time is about its pauses.
func (p *Plan) checkCapacity() {
	peak := 0.0
	for _, s := range p.Stages {
		peak = max(peak, s.FromRate, s.ToRate)
	}
	meanPages := float64(p.Traffic.PageviewsMin+p.Traffic.PageviewsMax) / 2
	meanPause := (p.Traffic.PauseMin.D() + p.Traffic.PauseMax.D()).Seconds() / 2
	inFlight := peak * meanPages * meanPause
	if inFlight > float64(p.Concurrency) {
		p.Warnings = append(p.Warnings, scenario.Diagnostic{
			File: p.File, Severity: scenario.SeverityWarning, Path: "/run/concurrency",
			Message: fmt.Sprintf("concurrency %d is below the %.0f visits in flight that %.4g visits/s need at these pauses (Little's law: rate × wall time %.1fs); expect dropped visits",
				p.Concurrency, inFlight, peak, meanPages*meanPause),
		})
	}
}

// SettingsOf is the one conversion of a scenario target into the settings
// its kind receives, with the defaults resolved.
func SettingsOf(st *scenario.Target) kind.Settings {
	s := kind.Settings{
		Name: st.Name, Kind: orDefault(st.Kind, scenario.KindMatomo), URL: URL(st.URL),
		SiteID: st.SiteID, SiteURL: URL(st.SiteURL), APIURL: URL(st.APIURL),
		Token: Secret(st.TokenAuth), Bulk: st.Bulk, Timeout: Duration(DefaultTimeout),
		InsecureSkipVerify: st.InsecureSkipVerify, Delivery: orDefault(st.Delivery, DefaultDelivery),
		IPHeader: st.IPHeader, VerifyToken: Secret(orDefault(st.VerifyToken, st.TokenAuth)),
	}
	if st.Timeout != nil {
		s.Timeout = Duration(st.Timeout.D)
	}
	if len(st.Headers) > 0 {
		s.Headers = make(map[string]Secret, len(st.Headers))
		for k, v := range st.Headers {
			s.Headers[k] = Secret(v)
		}
	}
	return s
}

// CheckTarget asks a target's kind what is wrong with its settings: the
// scenario check calls it (scenario.Options.CheckTarget) for the kinds
// whose rules are not the scenario format's own.
func CheckTarget(st *scenario.Target) []scenario.TargetProblem {
	k, ok := targets.Lookup(st.Kind)
	if !ok {
		return nil // the schema reports an unknown kind
	}
	s := SettingsOf(st)
	var out []scenario.TargetProblem
	for _, p := range k.Check(&s) {
		out = append(out, scenario.TargetProblem{Field: p.Field, Key: p.Key, Message: p.Message, Hint: p.Hint})
	}
	return out
}
