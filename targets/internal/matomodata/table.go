// Package matomodata is what Matomo knows about the world, as the
// generator and the built-in sink both need it: the countries of IPv4
// addresses (this file and lookup.go) and the hosts of search engines and
// social networks (referrers.go). It is neutral: the generator (runner)
// reaches it through package targets, the sink directly, and neither
// imports the other.
//
// The country table maps IPv4 addresses to countries and draws addresses
// for a country, from a small embedded table (countries.tsv). It is not a
// GeoIP database: it holds a few /18 blocks per country, chosen from
// public-domain RIR data where a current GeoLite2 database agrees on the
// whole block (gen_table_test.go builds it; geolite2_test.go checks every
// address the generator can draw), so a Matomo with a GeoIP database puts
// each visit in the country it was drawn for. Blocks never overlap, nor
// touch Matomo's bot ranges (bots.go) or special-purpose space: the table
// refuses to load otherwise, so every host of every block is drawable.
package matomodata

import (
	_ "embed"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the countries' zones, on machines without a zoneinfo database
)

//go:embed countries.tsv
var countriesTSV string

// Country is one row of the share table.
type Country struct {
	Code     string         // ISO 3166-1 alpha-2
	Name     string         // English name
	Share    float64        // default share of visitors; all shares add up to 1
	Zone     string         // IANA name of the country's main timezone
	Location *time.Location // Zone, loaded
	Prefixes []netip.Prefix // IPv4 ranges drawn from, in table order
}

// entry is one block of the lookup table.
type entry struct {
	base, mask uint32
	country    *Country
}

var (
	countries []Country           // table order
	byCode    map[string]*Country // code → row
	entries   []entry             // by base address; blocks do not overlap
)

// reserved ranges are documentation or special-purpose space (RFC 5737,
// RFC 6890): no block lies there, so they never map to a country and are
// never drawn.
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
			entries = append(entries, entry{base: v4(p.Addr()), mask: maskOf(p.Bits()), country: c})
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].base < entries[j].base })
}

// parseTable reads "code TAB name TAB share TAB zone TAB cidr" rows; rows
// of one country are consecutive and repeat its name, share and zone. A
// block that overlaps another, a bot range or special-purpose space is an
// error.
func parseTable(text string) ([]Country, error) {
	var out []Country
	seen := map[netip.Prefix]string{}
	codes := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: want 5 columns, got %d", n+1, len(f))
		}
		share, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: share: %v", n+1, err)
		}
		p, err := netip.ParsePrefix(f[4])
		if err != nil || !p.Addr().Is4() || p != p.Masked() {
			return nil, fmt.Errorf("line %d: %q is not a canonical IPv4 CIDR", n+1, f[4])
		}
		for q, code := range seen {
			if q.Overlaps(p) {
				return nil, fmt.Errorf("line %d: %s overlaps %s (%s)", n+1, p, q, code)
			}
		}
		if q, bad := overlapping(p, reserved); bad {
			return nil, fmt.Errorf("line %d: %s overlaps special-purpose %s", n+1, p, q)
		}
		if q, bad := overlapping(p, botPrefixes); bad {
			return nil, fmt.Errorf("line %d: %s overlaps %s, which Matomo drops as bots", n+1, p, q)
		}
		seen[p] = f[0]
		if len(out) == 0 || out[len(out)-1].Code != f[0] {
			if len(f[0]) != 2 || !isUpper(f[0]) || codes[f[0]] {
				return nil, fmt.Errorf("line %d: %q is not a new two-letter country code", n+1, f[0])
			}
			codes[f[0]] = true
			loc, err := time.LoadLocation(f[3])
			if err != nil || f[3] == "" || f[3] == "UTC" || f[3] == "Local" {
				return nil, fmt.Errorf("line %d: %q is not an IANA timezone of a country", n+1, f[3])
			}
			out = append(out, Country{Code: f[0], Name: f[1], Share: share, Zone: f[3], Location: loc})
		}
		last := &out[len(out)-1]
		if last.Share != share || last.Name != f[1] || last.Zone != f[3] {
			return nil, fmt.Errorf("line %d: %s rows disagree on name, share or zone", n+1, f[0])
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

func overlapping(p netip.Prefix, list []netip.Prefix) (netip.Prefix, bool) {
	for _, q := range list {
		if q.Overlaps(p) {
			return q, true
		}
	}
	return netip.Prefix{}, false
}

func isUpper(s string) bool {
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
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
