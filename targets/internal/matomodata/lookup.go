package matomodata

import (
	"math/rand/v2"
	"net/netip"
	"sort"
	"time"
)

// Lookup returns the country code of ip: the country of the table block
// that contains it. IPv4-mapped IPv6 addresses are unmapped first. Other
// IPv6 addresses and addresses outside the table are not found.
func Lookup(ip netip.Addr) (country string, ok bool) {
	ip = ip.Unmap()
	if !ip.Is4() {
		return "", false
	}
	a := v4(ip)
	// The last block that starts at or before a is the only one that can
	// hold it.
	i := sort.Search(len(entries), func(i int) bool { return entries[i].base > a }) - 1
	if i >= 0 && a&entries[i].mask == entries[i].base {
		return entries[i].country.Code, true
	}
	return "", false
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

// RandomIP draws a host address of country from r: a block weighted by its
// number of hosts, then a host in it, never its network or broadcast
// address. Blocks do not overlap, so the result always looks up to
// country. It returns the zero Addr for an unknown country code.
func RandomIP(country string, r *rand.Rand) netip.Addr {
	c, ok := byCode[country]
	if !ok {
		return netip.Addr{}
	}
	var total uint64
	for _, p := range c.Prefixes {
		total += hosts(p)
	}
	n := r.Uint64N(total)
	for _, p := range c.Prefixes {
		if h := hosts(p); n >= h {
			n -= h
			continue
		}
		return addrAt(p, n)
	}
	return netip.Addr{} // unreachable: n < total
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

// Zone returns the main timezone of a country (nil when unknown): the
// zone its visitors' clocks show.
func Zone(country string) *time.Location {
	if c, ok := byCode[country]; ok {
		return c.Location
	}
	return nil
}
