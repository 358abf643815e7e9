package matomodata

import "net/netip"

// botRanges are the IPv4 ranges Matomo 5.0.2 drops as bots
// (core/Tracker/VisitExcluded.php, isNonHumanBot; ../shared/spec/matomo-bots.md):
// a hit from these addresses is answered as success and silently not
// recorded. Matomo masks each range, so a range written with host bits
// (72.30.198.0/20) covers its whole /20 (72.30.192.0 … 72.30.207.255);
// the list keeps Matomo's spelling and botPrefixes masks it.
var botRanges = []string{
	// Google
	"216.239.32.0/19", "64.233.160.0/19", "66.249.80.0/20", "72.14.192.0/18", "209.85.128.0/17",
	"66.102.0.0/20", "74.125.0.0/16", "64.18.0.0/20", "207.126.144.0/20", "173.194.0.0/16",
	// Live / Bing / MSN
	"64.4.0.0/18", "65.52.0.0/14", "157.54.0.0/15", "157.56.0.0/14", "157.60.0.0/16", "207.46.0.0/16",
	"207.68.128.0/18", "207.68.192.0/20", "131.253.26.0/20", "131.253.24.0/20",
	// Yahoo
	"72.30.198.0/20", "72.30.196.0/20", "98.137.207.0/20",
	// one single address
	"1.202.218.8/32",
}

var botPrefixes = func() []netip.Prefix {
	out := make([]netip.Prefix, len(botRanges))
	for i, s := range botRanges {
		out[i] = netip.MustParsePrefix(s).Masked()
	}
	return out
}()

// BotPrefixes returns the ranges Matomo drops as bots, masked.
func BotPrefixes() []netip.Prefix { return append([]netip.Prefix(nil), botPrefixes...) }

// botFirstOctets marks the first bytes of the bot ranges (all are /8 or
// longer), so that the sink rejects almost every address with one load.
var botFirstOctets = func() (out [256]bool) {
	for _, p := range botPrefixes {
		out[p.Addr().As4()[0]] = true
	}
	return out
}()

// IsBotIP reports whether Matomo drops a hit from ip as a bot.
func IsBotIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.Is4() || !botFirstOctets[ip.As4()[0]] {
		return false
	}
	for _, p := range botPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
