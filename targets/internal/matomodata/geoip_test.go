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
		{"142.250.74.46", "US", true}, // Google's /15 inside Canada's /8: longest prefix wins
		{"142.251.255.254", "US", true},
		{"142.1.2.3", "CA", true},
		{"142.252.0.1", "CA", true},
		{"23.45.67.89", "US", true},
		{"78.47.1.1", "DE", true},
		{"2.100.0.1", "GB", true},
		{"90.127.255.1", "FR", true},
		{"90.128.0.1", "", false},       // just past FR's 90.0.0.0/9
		{"203.0.113.7", "", false},      // documentation range inside AU's 203.0.0.0/8
		{"203.0.112.255", "AU", true},   // right before it
		{"203.0.114.0", "AU", true},     // right after it
		{"211.1.1.1", "JP", true},       // 210.0.0.0/7
		{"201.255.0.1", "BR", true},     // 200.0.0.0/7
		{"85.1.1.1", Other, true},       // legacy "Other Countries"
		{"::ffff:23.1.2.3", "US", true}, // IPv4-mapped IPv6
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
	want := []string{"US", "DE", "GB", "CA", "FR", "AU", "NL", "JP", "SE", "BR", Other}
	if len(cs) != len(want) {
		t.Fatalf("got %d countries, want %d", len(cs), len(want))
	}
	sum := 0.0
	for i, c := range cs {
		if c.Code != want[i] {
			t.Errorf("country %d = %s, want %s", i, c.Code, want[i])
		}
		if len(c.Prefixes) < 3 {
			t.Errorf("%s has %d prefixes, want at least 3", c.Code, len(c.Prefixes))
		}
		sum += c.Share
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("shares add up to %v, want 1", sum)
	}
	if Share("US") != 0.35 || Share("SE") != 0.03 || Share("ZZ") != 0 {
		t.Errorf("Share: US=%v SE=%v ZZ=%v", Share("US"), Share("SE"), Share("ZZ"))
	}
	cs[0].Code = "changed"
	if Countries()[0].Code != "US" {
		t.Error("Countries returned the package's own slice")
	}
}

func TestRandomIPLooksUpToItsCountry(t *testing.T) {
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
		if math.Abs(got-c.Share) > 0.005 {
			t.Errorf("%s drawn %.4f of the time, want %.2f", c.Code, got, c.Share)
		}
	}
}

func TestParseTableRejectsBadRows(t *testing.T) {
	cases := map[string]string{
		"US\tUnited States\t0.35":                                     "want 4 columns",
		"US\tUnited States\tx\t1.0.0.0/8":                             "share",
		"US\tUnited States\t0.35\t1.0.0.1/8":                          "canonical",
		"US\tUnited States\t0.35\t::/0":                               "canonical",
		"US\tA\t0.35\t1.0.0.0/8\nCA\tB\t0.1\t1.0.0.0/8":               "listed twice",
		"US\tA\t0.35\t1.0.0.0/8\nUS\tA\t0.3\t2.0.0.0/8":               "disagree",
		"# comment\n\nUS\tA\t0.35\t1.0.0.0/8\nUS\tB\t0.35\t2.0.0.0/8": "disagree",
	}
	for text, want := range cases {
		_, err := parseTable(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseTable(%q) error = %v, want it to mention %q", text, err, want)
		}
	}
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := v4(p.Addr()) | ^maskOf(p.Bits())
	return netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
}

func BenchmarkLookup(b *testing.B) {
	ip := netip.MustParseAddr("85.1.1.1")
	for b.Loop() {
		Lookup(ip)
	}
}
