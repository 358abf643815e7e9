package plan

import (
	"net/url"

	"github.com/trafficinator/trafficinator/scenario"
)

// Secrets lists what a plan's output must never show: the values read
// from the environment (${VAR}), the targets' tokens and header values,
// and the passwords of their URLs. Texts built during a run (the live
// page's log lines) are redacted with scenario.RedactString against it.
func (p *Plan) Secrets() []string {
	out := append([]string(nil), p.envSecrets...)
	for i := range p.Targets {
		s := &p.Targets[i].Settings
		out = append(out, s.Token.Reveal(), s.VerifyToken.Reveal())
		for _, v := range s.Headers {
			out = append(out, v.Reveal())
		}
		for _, u := range []string{string(s.URL), string(s.SiteURL), string(s.APIURL)} {
			if pu, err := url.Parse(u); err == nil && pu.User != nil {
				pw, _ := pu.User.Password()
				out = append(out, pw, pu.User.String())
			}
		}
	}
	return out
}

func envSecrets(s *scenario.Scenario) []string {
	if s.Source == nil {
		return nil
	}
	return append([]string(nil), s.Source.Secrets...)
}
