package runner

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/targets"
)

// geoVisits is the size of the acceptance run: the issue asks for 20,000.
const geoVisits = 20000

// geoScenario is a seeded backfill of geoVisits visits over two days, with
// geo on (the default country table) and no optional actions, in bulk.
func geoScenario(u string) string {
	return fmt.Sprintf(`apiVersion: trafficinator/v1
kind: Scenario
metadata: {name: geo-acceptance}
run:
  mode: backfill
  timezone: Europe/Stockholm
  seed: 14
  concurrency: 50
  backfill: {from: 2026-10-24, to: 2026-10-25, visits_per_day: %d}
targets:
  - {name: t, kind: matomo, url: %q, site_id: 1, token_auth: %s, bulk: 200}
traffic:
  pageviews: {min: 1, max: 3}
  visit_duration: {min: 30s, max: 10m}
  features:
    geo: true
`, geoVisits/2, u, bfToken)
}

// TestGeoAcceptance runs 20,000 seeded visits into the built-in sink and
// checks what Matomo with a current GeoIP database would see:
//   - every sent cip is outside Matomo's bot ranges and in the country
//     table, which GeoLite2 agrees with on every address (proven against
//     the pinned GeoLite2 data in targets/internal/matomodata), so GeoLite2
//     puts it in the country the generator drew it for;
//   - the visits per country, as GeoLite2 (so the table) maps their cip,
//     are each within 3 standard errors of the configured share;
//   - every hit's h:m:s is its cdt on the clock of its country's main
//     timezone;
//   - the sink counts every visit under a real country code.
func TestGeoAcceptance(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 visits")
	}
	c := startCapture(t, "Europe/Stockholm")
	p := bfCompile(t, geoScenario(c.url), bfClock)
	rep := runBF(t, context.Background(), p, Options{RunID: "geo"})
	if n := rep.Total.Counters.Visits; n != geoVisits {
		t.Fatalf("%d visits, want %d", n, geoVisits)
	}

	byCountry := map[string]int{} // visits, by GeoLite2's country of their cip
	ips := map[string]string{}    // visitor id → cip
	bad := 0
	fail := func(format string, args ...any) {
		if bad++; bad <= 10 {
			t.Errorf(format, args...)
		}
	}
	for _, h := range c.all() {
		p := h.params
		ip, err := netip.ParseAddr(p.Get("cip"))
		if err != nil {
			fail("hit without a valid cip: %s", p.Encode())
			continue
		}
		id := p.Get("_id")
		if prev, ok := ips[id]; ok && prev != ip.String() {
			fail("visitor %s sent cip %s and %s", id, prev, ip)
		}
		ips[id] = ip.String()
		// The table agrees with GeoLite2 on every address of every block
		// (targets/internal/matomodata TestEveryDrawableIPAgreesWithGeoLite2,
		// against the pinned GeoLite2 data): a cip in the table is mapped
		// by GeoLite2 to the country CountryOf says.
		geo, ok := targets.CountryOf(ip)
		if !ok || targets.IsBotIP(ip) {
			fail("cip %s: in the country table %v (%q), bot range %v", ip, ok, geo, targets.IsBotIP(ip))
			continue
		}
		if p.Get("new_visit") == "1" {
			byCountry[geo]++
		}
		checkLocalTime(t, p, geo, fail)
	}
	if len(ips) != geoVisits {
		t.Errorf("%d visitor ids, want %d", len(ips), geoVisits)
	}
	worst, worstCode := 0.0, ""
	for _, country := range targets.Countries() {
		got := float64(byCountry[country.Code]) / geoVisits
		se := math.Sqrt(country.Share * (1 - country.Share) / geoVisits)
		if d := math.Abs(got-country.Share) / se; d > worst {
			worst, worstCode = d, country.Code
		}
		if math.Abs(got-country.Share) > 3*se {
			t.Errorf("%s: %.4f of visits by GeoLite2, configured %.3f (3 SE = %.4f)", country.Code, got, country.Share, 3*se)
		}
		delete(byCountry, country.Code)
	}
	if len(byCountry) != 0 {
		t.Errorf("visits in countries outside the table: %v", byCountry)
	}
	t.Logf("%d visits, %d hits: every cip in the country table (which GeoLite2 agrees with), none in a bot range; largest share deviation %.2f SE (%s)",
		geoVisits, len(c.all()), worst, worstCode)

	st := c.sink.Stats()
	total := int64(0)
	for code, n := range st.Sites[0].Countries {
		if targets.Zone(code) == nil && n != 0 {
			t.Errorf("the sink counts %d visits under %q", n, code)
		}
		total += n
	}
	if total != geoVisits {
		t.Errorf("the sink counts %d visits by country, want %d", total, geoVisits)
	}
}

// checkLocalTime: h, m and s are the hit's cdt in the main timezone of
// its country.
func checkLocalTime(t *testing.T, p url.Values, country string, fail func(string, ...any)) {
	t.Helper()
	local := cdtOf(t, p).In(targets.Zone(country))
	for _, x := range []struct {
		key  string
		want int
	}{{"h", local.Hour()}, {"m", local.Minute()}, {"s", local.Second()}} {
		if got := p.Get(x.key); got != strconv.Itoa(x.want) {
			fail("%s hit at cdt %s: %s=%q, want %d (%s)", country, p.Get("cdt"), x.key, got, x.want,
				strings.TrimSpace(local.Format("15:04:05 MST")))
			return
		}
	}
}
