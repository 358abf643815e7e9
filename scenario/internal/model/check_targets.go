package model

import (
	"net/url"
	"strings"
)

// Target kinds.
const (
	KindMatomo = "matomo"
	KindSink   = "sink"
)

// IsSink reports whether the target is the built-in sink.
func (t *Target) IsSink() bool { return t.Kind == KindSink }

// IsEnabled reports whether the target takes traffic (the default).
func (t *Target) IsEnabled() bool { return t.Enabled == nil || *t.Enabled }

// EffectiveWeight is the target's weight, 1 when unset.
func (t *Target) EffectiveWeight() float64 {
	if t.Weight == nil {
		return 1
	}
	return *t.Weight
}

// GeoRequested reports whether geo (cip) applies to target t, and whether
// the target asked for it itself rather than inheriting traffic.features.
func (s *Scenario) GeoRequested(t *Target) (on, explicit bool) {
	if t.Features != nil && t.Features.Geo != nil {
		return t.Features.Geo.On(), true
	}
	if s.Traffic.Features != nil && s.Traffic.Features.Geo != nil {
		return s.Traffic.Features.Geo.On(), false
	}
	return false, false
}

// On reports whether geo is switched on: true, or an object not disabled.
func (g *GeoFeature) On() bool { return g != nil && (g.Enabled == nil || *g.Enabled) }

func (c *checker) checkTargets() {
	seen := map[string]int{}
	enabled := 0
	for i := range c.s.Targets {
		t := &c.s.Targets[i]
		p := idx("/targets", i)
		if first, dup := seen[t.Name]; dup {
			c.errorf(p+"/name", "target names must be unique", "duplicate target name %q (also targets[%d])", t.Name, first)
		} else {
			seen[t.Name] = i
		}
		if t.Weight != nil && *t.Weight <= 0 {
			c.errorf(p+"/weight", "to stop sending to a target, set enabled: false",
				"weight must be greater than 0, got %s", fmtNum(*t.Weight))
		}
		if t.IsEnabled() {
			enabled++
		}
		c.duration(p+"/timeout", t.Timeout)
		c.checkTargetURL(p, t)
		c.checkIPHeader(p, t)
		c.checkTargetToken(p, t)
		if t.Features != nil {
			c.checkFeatures(p+"/features", t.Features)
		}
	}
	if len(c.s.Targets) > 0 && enabled == 0 {
		c.errorKey("/targets", "set enabled: true on at least one target", "every target is disabled")
	}
	c.checkGeoHonoured()
}

func (c *checker) checkTargetURL(p string, t *Target) {
	if t.Kind != "" && t.Kind != KindMatomo && t.Kind != KindSink {
		c.checkKindRules(p, t)
		if t.SiteURL != "" {
			// site_url shapes the hits' page URLs, whatever receives them.
			c.absoluteURL(p+"/site_url", t.SiteURL)
		}
		return
	}
	if t.IsSink() {
		if t.URL != "" {
			c.errorKey(p+"/url", "remove url: the built-in sink listens on a loopback port of its own", "a kind: sink target takes no url")
		}
		return
	}
	if t.URL == "" {
		c.errorKey(p, "set url to the tracking endpoint, e.g. https://matomo.example.com/matomo.php, or use kind: sink",
			"missing required field \"url\"")
		return
	}
	c.absoluteURL(p+"/url", t.URL)
	if t.SiteURL != "" {
		c.absoluteURL(p+"/site_url", t.SiteURL)
	}
	if t.APIURL != "" {
		c.absoluteURL(p+"/api_url", t.APIURL)
	}
}

// absoluteURL requires an http or https URL with a host.
func (c *checker) absoluteURL(path, raw string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		c.errorf(path, "", "invalid URL: %s", strings.TrimPrefix(err.Error(), "parse "))
	case u.Scheme != "http" && u.Scheme != "https":
		c.errorf(path, "write the full URL, e.g. https://matomo.example.com/matomo.php", "URL must start with http:// or https://")
	case u.Host == "":
		c.errorf(path, "", "URL has no host")
	}
}

// checkIPHeader: the header that carries a visit's address must be a
// header name, and the target must send single hits, since one bulk
// request carries many visitors and a header only one address.
func (c *checker) checkIPHeader(p string, t *Target) {
	if t.IPHeader == "" {
		return
	}
	if t.Bulk > 0 {
		c.errorf(p+"/ip_header", "remove bulk, or send a token_auth and cip instead",
			"ip_header needs bulk: 0: a bulk request carries many visitors, and the header only one address")
	}
}

// checkTargetToken enforces Matomo's rule that cip and old cdt need
// token_auth: without one every such hit is answered 400.
func (c *checker) checkTargetToken(p string, t *Target) {
	if t.TokenAuth != "" || !t.IsEnabled() {
		return
	}
	if c.s.Run.Mode == "backfill" {
		c.errorKey(p+"/name", "set token_auth (e.g. token_auth: ${MATOMO_TOKEN}); Matomo rejects a cdt older than 24 hours without one",
			"target %q has no token_auth, which backfill needs", t.Name)
	}
	if t.IPHeader != "" {
		return // each visit's address goes in the header, which needs no token
	}
	on, explicit := c.s.GeoRequested(t)
	switch {
	case on && explicit:
		c.errorKey(p+"/features/geo", "set token_auth, or geo: false for this target; Matomo answers 400 to cip without a token",
			"target %q enables geo (cip) but has no token_auth", t.Name)
	case on && !c.s.geoUnhonoured(): // else one error says it for all
		c.warnKey(p+"/name", "set token_auth on this target, or geo: false in its features to silence this",
			"target %q has no token_auth: geo (cip) is turned off for it", t.Name)
	}
}

// TargetProblem is one thing a target kind found wrong with a target's
// settings (Options.CheckTarget). Field is the setting's key under the
// target ("url"), "" for the target itself; Key points at the key rather
// than at the value.
type TargetProblem struct {
	Field         string
	Key           bool
	Message, Hint string
}

// checkKindRules reports what the target's kind finds wrong with it: the
// kinds beyond matomo and sink (whose rules are this format's own) check
// their settings themselves, through Options.CheckTarget, since scenario
// imports nothing from targets/.
func (c *checker) checkKindRules(p string, t *Target) {
	if c.opts.CheckTarget == nil {
		return
	}
	for _, pr := range c.opts.CheckTarget(t) {
		path := p
		if pr.Field != "" {
			path += "/" + pr.Field
		}
		if pr.Key {
			c.errorKey(path, pr.Hint, "%s", pr.Message)
		} else {
			c.errorf(path, pr.Hint, "%s", pr.Message)
		}
	}
}
