package sink

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/trafficinator/trafficinator/targets/internal/matomodata"
)

func TestParseCdt(t *testing.T) {
	cases := []struct {
		in   string
		unix int64
		ok   bool
	}{
		{"2024-06-01 12:00:00", 1717243200, true},
		{"1970-01-01 00:00:00", 0, true},
		{"2024-02-29 23:59:59", 1709251199, true},
		{"1717243200", 1717243200, true},
		{"1717243200.999", 1717243200, true},
		{"2023-02-29 00:00:00", 0, false}, // not a leap year
		{"2024-13-01 00:00:00", 0, false},
		{"2024-06-01 12:60:00", 0, false},
		{"2024-06-01T12:00:00", 0, false},
		{"2024-06-01 12:00", 0, false},
		{"2024-06-01  2:00:00", 0, false},
		{"", 0, false},
		{".5", 0, false},
		{"12e3", 0, false},
		{"9999999999999", 0, false}, // more than 12 digits
	}
	for _, c := range cases {
		unix, ok := parseCdt(c.in)
		if ok != c.ok || (ok && unix != c.unix) {
			t.Errorf("parseCdt(%q) = %d, %v; want %d, %v", c.in, unix, ok, c.unix, c.ok)
		}
	}
}

func TestUnescape(t *testing.T) {
	cases := []struct {
		in, out string
		ok      bool
	}{
		{"plain", "plain", true},
		{"a+b", "a b", true},
		{"https%3A%2F%2Fx.example%2F", "https://x.example/", true},
		{"100%25", "100%", true},
		{"bad%zz", "bad%zz", false},
		{"end%2", "end%2", false},
		{"%", "%", false},
		{"%e2%82%ac", "€", true},
	}
	for _, c := range cases {
		out, ok := unescape(c.in)
		if out != c.out || ok != c.ok {
			t.Errorf("unescape(%q) = %q, %v; want %q, %v", c.in, out, ok, c.out, c.ok)
		}
		esc, valid := scanEscapes(c.in)
		if esc != strings.ContainsAny(c.in, "%+") || valid != c.ok {
			t.Errorf("scanEscapes(%q) = %v, %v", c.in, esc, valid)
		}
	}
}

func TestParseQueryLastValueWins(t *testing.T) {
	var p params
	p.parseQuery("idsite=1&&idsite=2&url&%5Fid=abc&e_c=a%2Bb+c&=x", false)
	if p.get(fIdsite) != "2" || !p.present(fURL) || p.get(fURL) != "" || p.get(fID) != "abc" || p.get(fEC) != "a+b c" {
		t.Errorf("idsite %q url %v %q _id %q e_c %q", p.get(fIdsite), p.present(fURL), p.get(fURL), p.get(fID), p.get(fEC))
	}
	if p.badEscape || p.tokenInURL {
		t.Error("flags set for a clean query")
	}
}

func TestIsAbsoluteURL(t *testing.T) {
	cases := map[string]bool{
		"https://example.com":            true,
		"http://example.com:8080/a?b#c":  true,
		"https://user:pw@example.com/":   true,
		"https://[2001:db8::1]:443/":     true,
		"android-app://com.example.app/": true,
		"":                               false,
		"/path":                          false,
		"example.com/path":               false,
		"https:/example.com":             false,
		"https://":                       false,
		"https://:80/":                   false,
		"https://exa mple.com/":          false,
		"1http://example.com":            false,
		"https://[2001:db8::1":           false,
		"javascript:alert(1)":            false,
		"https://user@/path":             false,
	}
	for in, want := range cases {
		if got := isAbsoluteURL([]byte(in)); got != want {
			t.Errorf("isAbsoluteURL(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestClassifyReferrer(t *testing.T) {
	page := "https://shop.example.com/a"
	cases := []struct {
		page, ref string
		kind      refKind
		host      string
	}{
		{page, "", refDirect, ""},
		{page, "not a url", refDirect, ""},
		{page, "https://SHOP.example.com/b", refDirect, ""},
		{page, "https://www.google.com/search?q=x", refSearch, "google.com"},
		{page, "https://www.google.co.uk/", refSearch, "google.co.uk"},
		{page, "https://www.facebook.com/", refSearch, "facebook.com"}, // in SearchEngines.yml, bare host
		{page, "https://l.facebook.com/l.php?u=x", refSocial, "l.facebook.com"},
		{page, "https://sourceforge.net/", refSocial, "sourceforge.net"},
		{page, "https://medium.com/", refReferral, "medium.com"},
		{page, "https://www.bing.com/some/page", refReferral, "bing.com"}, // no keyword, not the bare host
		{page, "https://google.example.com/", refReferral, "google.example.com"},
		{page, "https://duckduckgo.com/?q=x", refSearch, "duckduckgo.com"},
		{page, "https://m.facebook.com/", refSocial, "m.facebook.com"},
		{page, "https://news.ycombinator.com/item", refSocial, "news.ycombinator.com"},
		{page, "https://notreddit.com/", refReferral, "notreddit.com"},
		{page, "https://www.capterra.com/", refReferral, "capterra.com"},
		{"https://shop.example.com/?utm_campaign=x", "https://www.google.com/", refCampaign, ""},
		{"https://shop.example.com/?a=1&pk_campaign=x", "", refCampaign, ""},
		{"https://shop.example.com/?xmtm_campaign=x", "", refDirect, ""},
		{"https://shop.example.com/?mtm_campaign=", "", refDirect, ""}, // a blank name is no campaign
		{"https://shop.example.com/?mtm_campaign=spring&mtm_kwd=shoes", "https://twitter.com/", refCampaign, ""},
		{"https://shop.example.com/?utm_source=newsletter", "", refCampaign, ""},
		{"https://shop.example.com/#pk_cpn=x", "", refCampaign, ""},
		{"https://shop.example.com/?_rcn=x", "", refDirect, ""},    // _rcn is a tracking parameter, not a URL one
		{"https://shop.example.com/?mtm_cpn=x", "", refDirect, ""}, // not in Matomo's default campaign_var_name
	}
	for _, c := range cases {
		kind, host := classifyReferrer([]byte(c.page), []byte(c.ref), false)
		if kind != c.kind || string(host) != c.host {
			t.Errorf("classifyReferrer(%q, %q) = %s %q, want %s %q", c.page, c.ref, refNames[kind], host, refNames[c.kind], c.host)
		}
	}
}

func TestIsBot(t *testing.T) {
	bots := []string{
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (compatible; bingbot/2.0)",
		"Mozilla/5.0 (compatible; Baiduspider/2.0)",
		"Mozilla/5.0 (compatible; Yahoo! Slurp)",
		"facebookexternalhit/1.1",
		"AhrefsBot/7.0",
	}
	humans := []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Safari/537.36",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0 Mobile/15E148 Safari/604.1",
		"curl/8.5.0",
		"",
	}
	for _, ua := range bots {
		if !isBot(ua) {
			t.Errorf("isBot(%q) = false", ua)
		}
	}
	for _, ua := range humans {
		if isBot(ua) {
			t.Errorf("isBot(%q) = true", ua)
		}
	}
	// Agents longer than the stack buffer take the folding path, with the
	// same verdicts; a marker across the buffer's end is found too.
	pad := strings.Repeat("x", maxFastUA)
	for _, ua := range bots {
		if !isBot(pad+ua) || !isBot(pad[:maxFastUA-3]+ua) {
			t.Errorf("long agent ending %q not a bot", ua)
		}
	}
	for _, ua := range humans {
		if isBot(pad + ua) {
			t.Errorf("long agent ending %q is a bot", ua)
		}
	}
}

func TestNumber(t *testing.T) {
	good := map[string]float64{"0": 0, "-1.5": -1.5, "+2": 2, "1e3": 1000, ".5": 0.5, "5.": 5}
	for in, want := range good {
		if got, ok := number(in); !ok || got != want {
			t.Errorf("number(%q) = %v, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "-", ".", "1e", "0x10", "Inf", "NaN", "1_000", " 1", "1e999"} {
		if _, ok := number(in); ok {
			t.Errorf("number(%q) accepted", in)
		}
	}
}

func TestCivilDay(t *testing.T) {
	sthlm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2024, 5, 31, 22, 30, 0, 0, time.UTC).Unix()
	if d := dayString(civilDay(ts, time.UTC)); d != "2024-05-31" {
		t.Errorf("UTC day %s", d)
	}
	if d := dayString(civilDay(ts, sthlm)); d != "2024-06-01" {
		t.Errorf("Stockholm day %s", d)
	}
	if d := dayString(civilDay(-1, time.UTC)); d != "1969-12-31" {
		t.Errorf("day before the epoch %s", d)
	}
}

func TestValuesAreReadLikeTheSinkReadsThem(t *testing.T) {
	p := params{rawQuery: "idsite=1&bad=100%zz&a=1", rawBody: "idsite=2&b=x+y&a=0&a=2"}
	v := p.values(nil)
	want := map[string][]string{"idsite": {"1"}, "bad": {"100%zz"}, "a": {"1"}, "b": {"x y"}}
	if len(v) != len(want) {
		t.Fatalf("values %v", v)
	}
	for k, w := range want {
		if strings.Join(v[k], ",") != strings.Join(w, ",") {
			t.Errorf("%s = %v, want %v", k, v[k], w)
		}
	}
	obj := p.values([]kv{{"idsite", "3"}, {"e_v", "1.5"}})
	if obj.Get("idsite") != "3" || obj.Get("e_v") != "1.5" || len(obj) != 2 {
		t.Errorf("object values %v", obj)
	}
}

// TestRefCacheBounded: the referrer cache answers as the rules do and
// stops growing at refCacheMax URLs.
func TestRefCacheBounded(t *testing.T) {
	for range 2 { // uncached, then cached
		if k := refCategory([]byte("https://www.google.com/search?q=x")); k != matomodata.RefSearch {
			t.Errorf("google: %v, want search", k)
		}
	}
	for i := range refCacheMax + 100 {
		u := fmt.Sprintf("https://site%d.example/", i)
		if k := refCategory([]byte(u)); k != matomodata.RefWebsite {
			t.Fatalf("%s: %v, want website", u, k)
		}
	}
	refCache.RLock()
	n := len(refCache.m)
	refCache.RUnlock()
	if n > refCacheMax {
		t.Errorf("cache holds %d URLs, want ≤ %d", n, refCacheMax)
	}
}

// The sink keeps a visitorState per visitor for the whole run.
func TestVisitorStateSize(t *testing.T) {
	if n := unsafe.Sizeof(visitorState{}); n != 32 {
		t.Errorf("visitorState is %d bytes, want 32", n)
	}
}

// A visitor counts once per day, whatever the order of its days.
func TestFirstOnDay(t *testing.T) {
	var st visitorState
	prev, seen := int32(0), false
	for i, c := range []struct {
		day   int32
		first bool
	}{{10, true}, {12, true}, {10, false}, {5, true}, {12, false}, {5, false}, {50, true}, {50, false}} {
		if got := st.firstOnDay(c.day, prev, seen); got != c.first {
			t.Errorf("step %d, day %d: first %v, want %v", i, c.day, got, c.first)
		}
		prev, seen = c.day, true
	}
}
