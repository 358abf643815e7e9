package sink

import (
	"hash/maphash"
	"net"
	"net/http"
	"net/netip"
)

// Who a hit comes from: its address and its visitor id.

// clientIP is cip when the hit may override the address, else the address
// the request came from (parsed once per request).
func (rs *reqState) clientIP(p *params, r *http.Request, authed bool) netip.Addr {
	if cip := p.get(fCip); authed && cip != "" {
		if ip, err := netip.ParseAddr(cip); err == nil {
			return ip
		}
	}
	if !rs.remoteDone {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		rs.remote, _ = netip.ParseAddr(host)
		rs.remoteDone = true
	}
	return rs.remote
}

// userAgent is the hit's user agent: its ua parameter, else the request's
// header. The entries of a bulk body come in runs of one visitor's hits,
// each with the same escaped ua parameter: the decoded agent is kept for
// the next entry with the same raw value.
func (rs *reqState) userAgent(p *params, r *http.Request) string {
	if !p.present(fUA) {
		return r.UserAgent()
	}
	if raw := p.v[fUA]; !rs.uaRawDone || raw != rs.uaRaw {
		rs.uaRaw, rs.ua, rs.uaRawDone = raw, p.get(fUA), true
	}
	return rs.ua
}

// isBot remembers the last user agent's verdict, for the same reason.
func (rs *reqState) isBot(ua string) bool {
	if !rs.uaDone || ua != rs.botUA {
		rs.botUA, rs.uaBot, rs.uaDone = ua, isBot(ua), true
	}
	return rs.uaBot
}

// visitorID is the id Matomo would give the visitor: cid, then a hash of
// uid, then _id, and for hits without any, a hash of the fingerprint
// (address, user agent, language).
func (s *Sink) visitorID(p *params, ip netip.Addr, ua string) uint64 {
	if id, ok := parseHex16(p.get(fCid)); ok {
		return id
	}
	if uid := p.get(fUid); uid != "" {
		return maphash.String(s.seed, uid)
	}
	if id, ok := parseHex16(p.get(fID)); ok {
		return id
	}
	var h maphash.Hash
	h.SetSeed(s.seed)
	b := ip.As16()
	h.Write(b[:])
	h.WriteString(ua)
	h.WriteByte(0)
	h.WriteString(p.get(fLang))
	return h.Sum64()
}

func parseHex16(s string) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	var v uint64
	for i := 0; i < 16; i++ {
		c := s[i]
		if !isHex(c) {
			return 0, false
		}
		v = v<<4 | uint64(unhex(c))
	}
	return v, true
}
