package matomodata

import (
	"net/netip"
	"os"
	"testing"

	"github.com/trafficinator/trafficinator/targets/internal/geolite2"
)

// openGeoLite2 reads the pinned GeoLite2 country tarball (fetched with npm
// pack into the cache on first use). Without it the test fails on CI
// (CI=true) and is skipped, with the reason, elsewhere.
func openGeoLite2(t *testing.T) *geolite2.DB {
	t.Helper()
	db, err := geolite2.Open(geolite2.GeoLite2Package, geolite2.GeoLite2CSV)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("GeoLite2 country data: %v", err)
		}
		t.Skipf("GeoLite2 country data unavailable (on CI this fails): %v", err)
	}
	return db
}

// TestEveryDrawableIPAgreesWithGeoLite2 looks up every address RandomIP can
// return, for every country: every usable host of every block of the
// country (TestRandomIPDrawsEveryHost shows that these are exactly its
// draws). Each must be in that country for GeoLite2 and for Lookup, and
// none in a range Matomo drops as a bot.
func TestEveryDrawableIPAgreesWithGeoLite2(t *testing.T) {
	db := openGeoLite2(t)
	total, disagree, bots := 0, 0, 0
	for _, c := range Countries() {
		for _, p := range c.Prefixes {
			cursor := db.Cursor()
			for n := range hosts(p) {
				ip := addrAt(p, n)
				total++
				if got, ok := Lookup(ip); !ok || got != c.Code {
					t.Fatalf("%s (%s, block %s): Lookup says %q", ip, c.Code, p, got)
				}
				if got, ok := cursor.Lookup(v4(ip)); !ok || got != c.Code {
					if disagree++; disagree <= 10 {
						t.Errorf("%s (%s, block %s): GeoLite2 says %q", ip, c.Code, p, got)
					}
				}
				if IsBotIP(ip) || inSpecBotRanges(ip) {
					if bots++; bots <= 10 {
						t.Errorf("%s (%s): in a bot range", ip, c.Code)
					}
				}
			}
		}
	}
	if disagree != 0 || bots != 0 {
		t.Errorf("%d of %d drawable addresses disagree with GeoLite2, %d in bot ranges", disagree, total, bots)
	}
	if total < 1_000_000 {
		t.Errorf("only %d drawable addresses", total)
	}
	t.Logf("%d drawable addresses: 100%% agree with GeoLite2 %s, 0 in bot ranges", total, geolite2.Version)
}

// inSpecBotRanges checks an address against Matomo's bot list as written
// in ../shared/spec/matomo-bots.md, independently of bots.go: each range
// covers base & mask … base | ^mask, as Matomo compares them.
func inSpecBotRanges(ip netip.Addr) bool {
	a := v4(ip)
	for _, r := range specBots {
		if a&r[1] == r[0]&r[1] {
			return true
		}
	}
	return false
}

// specBots are the bot ranges as (base, mask) pairs.
var specBots = func() (out [][2]uint32) {
	for _, s := range botRanges {
		p := netip.MustParsePrefix(s)
		out = append(out, [2]uint32{v4(p.Addr()), maskOf(p.Bits())})
	}
	return out
}()
