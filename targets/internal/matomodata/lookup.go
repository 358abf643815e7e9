package matomodata

import (
	"math/rand/v2"
	"net/netip"
)

// Lookup returns the country code of ip: the country of the longest table
// prefix that contains it. IPv4-mapped IPv6 addresses are unmapped first.
// Other IPv6 addresses, reserved ranges and addresses outside the table are
// not found.
func Lookup(ip netip.Addr) (country string, ok bool) {
	ip = ip.Unmap()
	if !ip.Is4() || isReserved(ip) {
		return "", false
	}
	a := v4(ip)
	for i := range entries {
		if a&entries[i].mask == entries[i].base {
			return entries[i].country.Code, true
		}
	}
	return "", false
}

func isReserved(ip netip.Addr) bool {
	for _, p := range reserved {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Share returns the table share of a country code (0 when unknown).
func Share(country string) float64 {
	if c, ok := byCode[country]; ok {
		return c.Share
	}
	return 0
}

// RandomCountry draws a country code by the table shares.
func RandomCountry(r *rand.Rand) string {
	x := r.Float64()
	for i := range countries {
		x -= countries[i].Share
		if x < 0 {
			return countries[i].Code
		}
	}
	return countries[len(countries)-1].Code // rounding: the shares add up to 1
}

// maxDraws bounds the retries of RandomIP. A draw is retried when the
// address belongs to a longer prefix of another country or to a reserved
// range; the largest such hole (142.250.0.0/15 in 142.0.0.0/8) is 1/128 of
// its range, so running out of draws does not happen in practice.
const maxDraws = 64

// RandomIP draws a host address of country from r: a range weighted by its
// number of hosts, then a host in it, never its network or broadcast
// address. The result always looks up to country. It returns the zero Addr
// for an unknown country code.
func RandomIP(country string, r *rand.Rand) netip.Addr {
	c, ok := byCode[country]
	if !ok {
		return netip.Addr{}
	}
	var total uint64
	for _, p := range c.Prefixes {
		total += hosts(p)
	}
	for range maxDraws {
		n := r.Uint64N(total)
		for _, p := range c.Prefixes {
			h := hosts(p)
			if n >= h {
				n -= h
				continue
			}
			a := addrAt(p, n)
			if got, ok := Lookup(a); ok && got == country {
				return a
			}
			break
		}
	}
	return netip.Addr{}
}

// hosts is the number of usable host addresses of an IPv4 prefix.
func hosts(p netip.Prefix) uint64 {
	size := uint64(1) << (32 - p.Bits())
	if size <= 2 {
		return size // /31 and /32 have no network or broadcast address
	}
	return size - 2
}

// addrAt returns the n-th usable host of p (0-based).
func addrAt(p netip.Prefix, n uint64) netip.Addr {
	a := v4(p.Addr())
	if p.Bits() < 31 {
		n++ // skip the network address
	}
	a += uint32(n)
	return netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
}
