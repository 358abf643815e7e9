package model

// geoUnhonoured reports whether traffic.features turns geo on explicitly
// while no enabled target that inherits it can send a visitor's address:
// none has a token_auth (for cip) or an ip_header. Such a geo: true would
// change nothing, which is a mistake to report, not to warn about; a
// default that is merely inherited stays quiet.
func (s *Scenario) geoUnhonoured() bool {
	f := s.Traffic.Features
	if f == nil || !f.Geo.On() {
		return false
	}
	inheriting := 0
	for i := range s.Targets {
		t := &s.Targets[i]
		if !t.IsEnabled() || t.Features != nil && t.Features.Geo != nil {
			continue
		}
		inheriting++
		if t.TokenAuth != "" || t.IPHeader != "" {
			return false
		}
	}
	return inheriting > 0
}

// checkGeoHonoured reports traffic.features.geo that no target honours,
// at the geo: key.
func (c *checker) checkGeoHonoured() {
	if c.s.geoUnhonoured() {
		c.errorKey("/traffic/features/geo", "set token_auth on a target (token_auth: ${MATOMO_TOKEN}) or ip_header, or remove geo",
			"geo is on, but no enabled target can send a visitor's address: none has a token_auth (for cip) or an ip_header")
	}
}
