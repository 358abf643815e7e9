package matomodata

import (
	"math"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	cases := []struct {
		ip      string
		country string
		ok      bool
	}{
		{"79.246.0.0", "DE", true}, // first address of DE's 79.246.0.0/18
		{"79.246.63.255", "DE", true},
		{"79.246.64.0", "", false}, // just past it
		{"79.245.255.255", "", false},
		{"130.199.12.34", "US", true},
		{"126.39.130.1", "JP", true},
		{"41.114.200.9", "ZA", true},
		{"::ffff:130.199.12.34", "US", true}, // IPv4-mapped IPv6
		{"8.8.8.8", "", false},
		{"127.0.0.1", "", false},
		{"2001:db8::1", "", false},
	}
	for _, c := range cases {
		got, ok := Lookup(netip.MustParseAddr(c.ip))
		if got != c.country || ok != c.ok {
			t.Errorf("Lookup(%s) = %q, %v; want %q, %v", c.ip, got, ok, c.country, c.ok)
		}
	}
	if _, ok := Lookup(netip.Addr{}); ok {
		t.Error("Lookup(zero Addr) found a country")
	}
}

func TestCountriesTable(t *testing.T) {
	cs := Countries()
	want := []string{"US", "DE", "GB", "CA", "FR", "AU", "NL", "JP", "SE", "BR",
		"IT", "ES", "IN", "PL", "MX", "KR", "CH", "AT", "BE", "ZA"}
	if len(cs) != len(want) {
		t.Fatalf("got %d countries, want %d", len(cs), len(want))
	}
	sum := 0.0
	for i, c := range cs {
		if c.Code != want[i] {
			t.Errorf("country %d = %s, want %s", i, c.Code, want[i])
		}
		if len(c.Prefixes) < 3 || len(c.Prefixes) > 8 {
			t.Errorf("%s has %d blocks, want 3 … 8 (a small table)", c.Code, len(c.Prefixes))
		}
		if c.Location == nil || c.Location.String() != c.Zone {
			t.Errorf("%s: zone %q loaded as %v", c.Code, c.Zone, c.Location)
		}
		sum += c.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares add up to %v, want 1", sum)
	}
	if Share("US") != 0.35 || Share("ZA") != 0.01 || Share("XX") != 0 {
		t.Errorf("Share: US=%v ZA=%v XX=%v", Share("US"), Share("ZA"), Share("XX"))
	}
	if z := Zone("JP"); z == nil || z.String() != "Asia/Tokyo" {
		t.Errorf("Zone(JP) = %v", z)
	}
	if z := Zone("XX"); z != nil {
		t.Errorf("Zone(XX) = %v, want nil", z)
	}
	cs[0].Code = "changed"
	if Countries()[0].Code != "US" {
		t.Error("Countries returned the package's own slice")
	}
}

// TestRandomIPDrawsEveryHost: the draws of a country are exactly the usable
// hosts of its blocks (so TestEveryDrawableIPAgreesWithGeoLite2, which
// enumerates those, covers every draw), and every draw looks up to its
// country.
func TestRandomIPDrawsEveryHost(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range Countries() {
		for range 3000 {
			ip := RandomIP(c.Code, r)
			got, ok := Lookup(ip)
			if !ok || got != c.Code {
				t.Fatalf("RandomIP(%s) = %s, which looks up to %q, %v", c.Code, ip, got, ok)
			}
			for _, p := range c.Prefixes {
				if ip == p.Addr() || ip == lastAddr(p) {
					t.Fatalf("RandomIP(%s) = %s, the network or broadcast address of %s", c.Code, ip, p)
				}
			}
		}
	}
	// A one-block country whose block has 2 hosts: both are drawn.
	saved := byCode["ZA"].Prefixes
	defer func() { byCode["ZA"].Prefixes = saved }()
	byCode["ZA"].Prefixes = []netip.Prefix{netip.MustParsePrefix("41.114.192.0/30")}
	seen := map[netip.Addr]bool{}
	for range 200 {
		seen[RandomIP("ZA", r)] = true
	}
	if len(seen) != 2 || !seen[netip.MustParseAddr("41.114.192.1")] || !seen[netip.MustParseAddr("41.114.192.2")] {
		t.Errorf("draws of a /30: %v, want its two hosts", seen)
	}
}

func TestRandomIPIsDeterministic(t *testing.T) {
	a := rand.New(rand.NewPCG(7, 7))
	b := rand.New(rand.NewPCG(7, 7))
	for range 100 {
		x, y := RandomIP("CA", a), RandomIP("CA", b)
		if x != y {
			t.Fatalf("same seed drew %s and %s", x, y)
		}
	}
	if ip := RandomIP("ZZ", a); ip.IsValid() {
		t.Errorf("RandomIP(unknown) = %s, want the zero Addr", ip)
	}
}

func TestHostsAndAddrAt(t *testing.T) {
	p := netip.MustParsePrefix("192.30.252.0/22")
	if h := hosts(p); h != 1022 {
		t.Errorf("hosts(%s) = %d, want 1022", p, h)
	}
	if a := addrAt(p, 0); a.String() != "192.30.252.1" {
		t.Errorf("first host = %s", a)
	}
	if a := addrAt(p, 1021); a.String() != "192.30.255.254" {
		t.Errorf("last host = %s", a)
	}
	p31 := netip.MustParsePrefix("10.0.0.0/31")
	if h := hosts(p31); h != 2 {
		t.Errorf("hosts(/31) = %d, want 2", h)
	}
	if a := addrAt(p31, 1); a.String() != "10.0.0.1" {
		t.Errorf("addrAt(/31, 1) = %s", a)
	}
}

func TestRandomCountryFollowsShares(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	counts := map[string]int{}
	const n = 200000
	for range n {
		counts[RandomCountry(r)]++
	}
	for _, c := range Countries() {
		got := float64(counts[c.Code]) / n
		if se := math.Sqrt(c.Share * (1 - c.Share) / n); math.Abs(got-c.Share) > 4*se {
			t.Errorf("%s drawn %.4f of the time, want %.3f ± %.4f", c.Code, got, c.Share, 4*se)
		}
	}
}

func TestIsBotIP(t *testing.T) {
	for ip, want := range map[string]bool{
		"66.249.81.1":      true,  // Googlebot, 66.249.80.0/20
		"72.30.207.255":    true,  // 72.30.198.0/20 is 72.30.192.0 … 72.30.207.255 for Matomo
		"72.30.191.255":    false, // just before it
		"1.202.218.8":      true,
		"1.202.218.9":      false,
		"::ffff:65.55.1.1": true, // 65.52.0.0/14, IPv4-mapped
		"130.199.12.34":    false,
	} {
		if got := IsBotIP(netip.MustParseAddr(ip)); got != want {
			t.Errorf("IsBotIP(%s) = %v, want %v", ip, got, want)
		}
	}
	if n := len(BotPrefixes()); n != len(botRanges) {
		t.Errorf("%d bot prefixes, want %d", n, len(botRanges))
	}
}

func TestParseTableRejectsBadRows(t *testing.T) {
	const z = "\tEurope/Berlin\t"
	cases := map[string]string{
		"US\tUnited States\t0.35\tEurope/Berlin":                                                     "want 5 columns",
		"US\tUnited States\tx" + z + "4.0.0.0/8":                                                     "share",
		"US\tUnited States\t0.35" + z + "4.0.0.1/8":                                                  "canonical",
		"US\tUnited States\t0.35" + z + "::/0":                                                       "canonical",
		"US\tA\t0.35" + z + "4.0.0.0/8\nCA\tB\t0.1" + z + "4.0.0.0/8":                                "overlaps 4.0.0.0/8",
		"US\tA\t0.35" + z + "4.0.0.0/8\nCA\tB\t0.1" + z + "4.2.0.0/16":                               "overlaps 4.0.0.0/8",
		"US\tA\t0.35" + z + "4.0.0.0/8\nUS\tA\t0.3" + z + "5.0.0.0/8":                                "disagree",
		"US\tA\t0.35" + z + "4.0.0.0/8\nUS\tB\t0.35" + z + "5.0.0.0/8":                               "disagree",
		"US\tA\t0.35\tEurope/Nowhere\t4.0.0.0/8":                                                     "not an IANA timezone",
		"US\tA\t0.35\tUTC\t4.0.0.0/8":                                                                "not an IANA timezone",
		"US\tA\t0.35" + z + "192.168.0.0/24":                                                         "special-purpose",
		"US\tA\t0.35" + z + "66.249.64.0/19":                                                         "drops as bots",
		"us\tA\t0.35" + z + "5.0.0.0/8":                                                              "two-letter",
		"US\tA\t0.35" + z + "4.0.0.0/8\nDE\tB\t0.1" + z + "5.0.0.0/8\nUS\tA\t0.35" + z + "3.0.0.0/8": "two-letter",
	}
	for text, want := range cases {
		_, err := parseTable(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseTable(%q) error = %v, want it to mention %q", text, err, want)
		}
	}
	cs, err := parseTable("# comment\n\nUS\tA\t0.5" + z + "4.0.0.0/8\nUS\tA\t0.5" + z + "5.0.0.0/8\n")
	if err != nil || len(cs) != 1 || len(cs[0].Prefixes) != 2 || cs[0].Zone != "Europe/Berlin" {
		t.Errorf("parseTable(good) = %+v, %v", cs, err)
	}
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := v4(p.Addr()) | ^maskOf(p.Bits())
	return netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
}

func BenchmarkLookup(b *testing.B) {
	ip := netip.MustParseAddr("130.199.12.34")
	for b.Loop() {
		Lookup(ip)
	}
}
