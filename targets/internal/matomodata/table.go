// Package matomodata is what Matomo knows about the world, as the
// generator and the built-in sink both need it: the countries of IPv4
// addresses (this file and lookup.go) and the hosts of search engines and
// social networks (referrers.go). It is neutral: the generator (runner)
// reaches it through package targets, the sink directly, and neither
// imports the other.
//
// The country table maps IPv4 addresses to countries and draws addresses
// for a country, from a small embedded table (the legacy tool's country
// list). It is not a real GeoIP database: the table holds a few ranges per country,
// enough for a generator to send plausible cip values and for the built-in
// sink to count visits per country. Ranges overlap (legacy defect 21: Canada's
// 142.0.0.0/8 contains Google's 142.250.0.0/15 listed under US), so Lookup
// takes the longest matching prefix, which makes it deterministic. Reserved
// documentation ranges (such as 203.0.113.0/24 inside Australia's
// 203.0.0.0/8) never map to a country and are never drawn.
package matomodata

import (
	_ "embed"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// Other is the code of the legacy "Other Countries" group. Matomo reports
// the code xx as "Unknown", which is what a sink without a real database can
// honestly say about these ranges.
const Other = "XX"

//go:embed countries.tsv
var countriesTSV string

// Country is one row of the share table.
type Country struct {
	Code     string         // ISO 3166-1 alpha-2, or Other
	Name     string         // English name
	Share    float64        // share of visitors in the legacy tool; all shares add up to 1
	Prefixes []netip.Prefix // IPv4 ranges drawn from, in table order
}

// entry is one range of the lookup table.
type entry struct {
	base, mask uint32
	bits       int
	country    *Country
}

var (
	countries []Country           // table order
	byCode    map[string]*Country // code → row
	entries   []entry             // longest prefix first
)

// reserved ranges never map to a country: addresses there are documentation
// or special-purpose (RFC 5737, RFC 6890), and a generator must not send them.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("224.0.0.0/3"),
}

func init() {
	var err error
	countries, err = parseTable(countriesTSV)
	if err != nil {
		// The table is embedded and covered by tests; a bad table is a build defect.
		panic("matomodata: embedded countries.tsv: " + err.Error())
	}
	byCode = make(map[string]*Country, len(countries))
	for i := range countries {
		c := &countries[i]
		byCode[c.Code] = c
		for _, p := range c.Prefixes {
			entries = append(entries, entry{
				base:    v4(p.Addr()),
				mask:    maskOf(p.Bits()),
				bits:    p.Bits(),
				country: c,
			})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].bits > entries[j].bits })
}

// parseTable reads "code TAB name TAB share TAB cidr" rows; rows of one
// country are consecutive and repeat the share.
func parseTable(text string) ([]Country, error) {
	var out []Country
	seen := map[netip.Prefix]string{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 4 columns, got %d", n+1, len(f))
		}
		share, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: share: %v", n+1, err)
		}
		p, err := netip.ParsePrefix(f[3])
		if err != nil || !p.Addr().Is4() || p != p.Masked() {
			return nil, fmt.Errorf("line %d: %q is not a canonical IPv4 CIDR", n+1, f[3])
		}
		if prev, dup := seen[p]; dup {
			return nil, fmt.Errorf("line %d: %s listed twice (%s and %s)", n+1, p, prev, f[0])
		}
		seen[p] = f[0]
		if len(out) == 0 || out[len(out)-1].Code != f[0] {
			out = append(out, Country{Code: f[0], Name: f[1], Share: share})
		}
		last := &out[len(out)-1]
		if last.Share != share || last.Name != f[1] {
			return nil, fmt.Errorf("line %d: %s rows disagree on name or share", n+1, f[0])
		}
		last.Prefixes = append(last.Prefixes, p)
	}
	return out, nil
}

// Countries returns the share table in table order (largest share first).
// The slice is a copy; the prefixes are shared and must not be modified.
func Countries() []Country {
	return append([]Country(nil), countries...)
}

func v4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func maskOf(bits int) uint32 {
	if bits == 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}
