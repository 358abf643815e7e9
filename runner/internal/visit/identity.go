package visit

import (
	"math/rand/v2"
	"net/netip"
	"time"
)

// identitySalt keeps the identity stream of visit i apart from the visit's
// main stream (newRand(seed, i)).
const identitySalt = 0x3c6ef372fe94f82b

// identity is who a visitor is to Matomo: the visitor id and everything
// its fingerprint is made of.
type identity struct {
	VisitorID, UserAgent, Device, Lang, Res string
	Plugins                                 Plugins
	Country                                 string
	zone                                    *time.Location // Country's clock (h, m, s)
	IP                                      netip.Addr     // cip; the zero Addr without geo
}

// drawIdentity gives v the identity of visitor index of the run: drawn
// from a stream keyed by the seed, the run id and the index, so that two
// runs of one seeded scenario never share a visitor id or, by accident, a
// fingerprint (Matomo matches visits by both: two runs that share them
// corrupt each other's visits), while the same seed and run id reproduce
// the run exactly. The visit's own stream has already made these draws,
// so the rest of the visit (pages, actions, times) depends on the seed
// alone and is the same in every run. An empty run id keeps the draws of
// the visit's own stream. A returning visit (ret not nil) takes the
// identity of its visitor's first visit.
func (v *Visit) drawIdentity(cfg *Config, seed, index uint64, ret *returnInfo) {
	v.VisitCount = 1
	if ret != nil {
		v.setIdentity(identityOf(cfg, seed, ret.root))
		v.VisitCount, v.since = ret.count, ret.since
		return
	}
	if cfg.RunID == "" {
		return
	}
	v.setIdentity(identityOf(cfg, seed, index))
}

// identityOf draws the identity of visitor index from its own stream,
// with the functions a visit draws its visitor and geo with.
func identityOf(cfg *Config, seed, index uint64) identity {
	who := identityRand(seed, cfg.RunID, index)
	var w Visit
	w.drawVisitor(who)
	w.drawGeo(cfg, who)
	return w.identity()
}

func identityRand(seed uint64, runID string, index uint64) *rand.Rand {
	return newRand(seed^runKey(runID), index^identitySalt)
}

func (v *Visit) identity() identity {
	return identity{VisitorID: v.VisitorID, UserAgent: v.UserAgent, Device: v.Device, Lang: v.Lang,
		Res: v.Res, Plugins: v.Plugins, Country: v.Country, zone: v.zone, IP: v.IP}
}

func (v *Visit) setIdentity(id identity) {
	v.VisitorID, v.UserAgent, v.Device, v.Lang, v.Res = id.VisitorID, id.UserAgent, id.Device, id.Lang, id.Res
	v.Plugins, v.Country, v.zone = id.Plugins, id.Country, id.zone
	v.IP = id.IP
}

// runKey hashes a run id (FNV-1a, then splitmix64).
func runKey(runID string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(runID); i++ {
		h = (h ^ uint64(runID[i])) * 1099511628211
	}
	return splitmix(h)
}
