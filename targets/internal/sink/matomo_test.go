package sink

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Each case where Matomo answers 400: the answer, the reason counted, and
// nothing recorded.
func TestMatomoRejects(t *testing.T) {
	cases := []struct {
		name   string
		kv     []string
		reason string
	}{
		{"missing idsite", []string{"-idsite", ""}, "invalid_site"},
		{"idsite not a number", []string{"idsite", "abc"}, "invalid_site"},
		{"idsite zero", []string{"idsite", "0"}, "invalid_site"},
		{"idsite negative", []string{"idsite", "-1"}, "invalid_site"},
		{"unknown site", []string{"idsite", "7"}, "invalid_site"},
		{"cip without token", []string{"cip", "142.250.1.1"}, "cip_without_token"},
		{"cip with a wrong token", []string{"cip", "142.250.1.1", "token_auth", otherToken}, "cip_without_token"},
		{"cip with another site's token", []string{"cip", "142.250.1.1", "token_auth", "site-two-token"}, "cip_without_token"},
		{"cdt one day old without token", []string{"cdt", cdtAgo(24 * time.Hour)}, "cdt_without_token"},
		{"cdt 400 days old without token", []string{"cdt", cdtAgo(400 * 24 * time.Hour)}, "cdt_without_token"},
		{"cdt one day old, unix, without token", []string{"cdt", strconv.FormatInt(testNow.Add(-24*time.Hour).Unix(), 10)}, "cdt_without_token"},
		{"cdt old with a wrong token", []string{"cdt", cdtAgo(48 * time.Hour), "token_auth", otherToken}, "cdt_without_token"},
		{"cid too short", []string{"cid", "abc"}, "invalid_cid"},
		{"cid too long", []string{"cid", "0123456789abcdef0"}, "invalid_cid"},
		{"cid not hex", []string{"cid", "0123456789abcdeg"}, "invalid_cid"},
		{"goal that does not exist", []string{"idgoal", "3"}, "unknown_goal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestSink(t, Config{Sites: []Site{
				{ID: 1, Tokens: []string{testToken}},
				{ID: 2, Tokens: []string{"site-two-token"}},
			}})
			a := ts.hit(with(validHit(), c.kv...))
			wantStatus(t, a, http.StatusBadRequest)
			if !strings.Contains(a.body, c.reason) {
				t.Errorf("body %q does not name %s", a.body, c.reason)
			}
			st := ts.Stats()
			if st.Rejected[c.reason].Count != 1 || st.Invalid != 1 || st.Recorded != 0 {
				t.Errorf("rejected %v, invalid %d, recorded %d", st.Rejected, st.Invalid, st.Recorded)
			}
			if v := ts.site(1).Visits; v != 0 {
				t.Errorf("%d visits recorded for a rejected hit", v)
			}
		})
	}
}

// The same hits pass when Matomo would accept them.
func TestMatomoAccepts(t *testing.T) {
	cases := []struct {
		name string
		kv   []string
	}{
		{"cip with the site token", []string{"cip", "142.250.1.1", "token_auth", testToken}},
		{"cdt just under a day old without token", []string{"cdt", cdtAgo(24*time.Hour - time.Second)}},
		{"cdt one day old with token", []string{"cdt", cdtAgo(24 * time.Hour), "token_auth", testToken}},
		{"cdt 400 days old with token", []string{"cdt", cdtAgo(400 * 24 * time.Hour), "token_auth", testToken}},
		{"cid of 16 hex characters", []string{"cid", "fedcba9876543210"}},
		{"existing goal", []string{"idgoal", "5"}},
		{"cart update", []string{"idgoal", "0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestSink(t, Config{Sites: []Site{{ID: 1, Tokens: []string{testToken}, Goals: []int{5}}}})
			wantStatus(t, ts.hit(with(validHit(), c.kv...)), http.StatusNoContent)
			if st := ts.Stats(); st.Recorded != 1 {
				t.Errorf("recorded %d, want 1", st.Recorded)
			}
		})
	}
}

func TestDuplicateOrderID(t *testing.T) {
	ts := newTestSink(t, Config{Sites: []Site{{ID: 1}, {ID: 2}}})
	order := with(validHit(), "idgoal", "0", "ec_id", "RUN1-0001", "revenue", "10.00")
	wantStatus(t, ts.hit(order), http.StatusNoContent)
	a := ts.hit(with(order, "_id", "1111111111111111"))
	wantStatus(t, a, http.StatusBadRequest)
	if !strings.Contains(a.body, "duplicate_order") {
		t.Errorf("body %q", a.body)
	}
	// Another site has its own order ids.
	wantStatus(t, ts.hit(with(order, "idsite", "2")), http.StatusNoContent)
	// A new id on the first site is fine.
	wantStatus(t, ts.hit(with(order, "ec_id", "RUN1-0002")), http.StatusNoContent)

	if o := ts.site(1).Orders; o != 2 {
		t.Errorf("site 1 orders = %d, want 2", o)
	}
	if r := ts.site(1).Revenue; r != 20 {
		t.Errorf("site 1 revenue = %v, want 20", r)
	}
	if n := ts.Stats().Rejected["duplicate_order"].Count; n != 1 {
		t.Errorf("duplicate_order = %d, want 1", n)
	}
}

// An excluded or rejected order does not use up its ec_id.
func TestOrderIDKeptForExcludedHits(t *testing.T) {
	ts := newTestSink(t, Config{})
	order := with(validHit(), "idgoal", "0", "ec_id", "X1", "revenue", "5")
	wantStatus(t, ts.hit(with(order, "rec", "0")), http.StatusNoContent)
	wantStatus(t, ts.hit(with(order, "idsite", "9")), http.StatusBadRequest)
	wantStatus(t, ts.hit(order), http.StatusNoContent)
	if o := ts.site(1).Orders; o != 1 {
		t.Errorf("orders = %d, want 1", o)
	}
}

// Hits Matomo answers as a success without recording them.
func TestSilentExclusions(t *testing.T) {
	cases := []struct {
		name   string
		kv     []string
		ua     string
		reason string
	}{
		{"no rec", []string{"-rec", ""}, "", "no_rec"},
		{"rec=0", []string{"rec", "0"}, "", "no_rec"},
		{"bot user agent header", nil, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"},
		{"bot in the ua parameter", []string{"ua", "Mozilla/5.0 (compatible; bingbot/2.0)"}, "Mozilla/5.0 (X11; Linux x86_64)", "bot"},
		{"stale ping", []string{"ping", "1"}, "", "stale_ping"},
		{"cip in Googlebot's range", []string{"cip", "66.249.81.7", "token_auth", testToken}, "", "bot"},
		{"cip in the single bot address", []string{"cip", "1.202.218.8", "token_auth", testToken}, "", "bot"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestSink(t, Config{})
			req, _ := http.NewRequest(http.MethodGet, ts.srv.URL+"/matomo.php?"+with(validHit(), c.kv...).Encode(), nil)
			if c.ua != "" {
				req.Header.Set("User-Agent", c.ua)
			}
			wantStatus(t, ts.do(req), http.StatusNoContent)
			st := ts.Stats()
			if st.Excluded[c.reason] != 1 || st.Recorded != 0 || st.Tracked != 1 {
				t.Errorf("excluded %v, recorded %d, tracked %d", st.Excluded, st.Recorded, st.Tracked)
			}
			if ss := ts.site(1); ss.Visits != 0 || ss.Visitors != 0 {
				t.Errorf("visits %d visitors %d for an excluded hit", ss.Visits, ss.Visitors)
			}
		})
	}
}

func TestBotsAndToolsThatAreRecorded(t *testing.T) {
	ts := newTestSink(t, Config{})
	for _, c := range []struct{ ua, bots string }{
		{"curl/8.5.0", ""}, // Matomo records curl
		{"python-requests/2.31", ""},
		{"Googlebot/2.1", "1"}, // bots=1 asks to record bots
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.srv.URL+"/matomo.php?"+with(validHit(), "bots", c.bots).Encode(), nil)
		req.Header.Set("User-Agent", c.ua)
		wantStatus(t, ts.do(req), http.StatusNoContent)
	}
	// bots=1 records a hit from a crawler's address too.
	wantStatus(t, ts.hit(with(validHit(), "bots", "1", "cip", "66.249.81.7", "token_auth", testToken)), http.StatusNoContent)
	if st := ts.Stats(); st.Recorded != 4 || st.Excluded["bot"] != 0 {
		t.Errorf("recorded %d, excluded %v", st.Recorded, st.Excluded)
	}
}

// A cdt in the future is recorded at the server time, silently; so is one
// more than 20 years old or unreadable.
func TestCdtReplacedByServerTime(t *testing.T) {
	cases := []struct {
		name, cdt, reason string
	}{
		{"future", testNow.Add(time.Hour).Format(time.DateTime), "cdt_future"},
		{"future by one second", testNow.Add(time.Second).Format(time.DateTime), "cdt_future"},
		{"older than 20 years, no token needed", "2000-01-01 00:00:00", "cdt_invalid"},
		{"unreadable", "yesterday", "cdt_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestSink(t, Config{})
			wantStatus(t, ts.hit(with(validHit(), "cdt", c.cdt)), http.StatusNoContent)
			st := ts.Stats()
			if st.Adjusted[c.reason] != 1 || st.Recorded != 1 {
				t.Errorf("adjusted %v, recorded %d", st.Adjusted, st.Recorded)
			}
			days := ts.site(1).HitsPerDay
			if len(days) != 1 || days["2024-06-01"] != 1 {
				t.Errorf("hits per day %v, want the server's day only", days)
			}
		})
	}
}

// In a bulk body each entry's ua parameter decides, whatever the entries
// before it: runs of one agent, an agent sent again with another escaping,
// and entries without ua (the request's header, here a browser's).
func TestBulkEntriesKeepTheirOwnAgent(t *testing.T) {
	ts := newTestSink(t, Config{})
	bot := "Mozilla/5.0 (compatible; bingbot/2.0)"
	human := "Mozilla/5.0 (X11; Linux x86_64)"
	entries := []string{
		with(validHit(), "ua", bot).Encode(),
		with(validHit(), "ua", bot).Encode(),
		with(validHit(), "ua", human).Encode(),
		with(validHit(), "ua", human).Encode(),
		with(validHit(), "-ua", "").Encode(),
		with(validHit(), "ua", bot).Encode(),
		strings.ReplaceAll(with(validHit(), "ua", bot).Encode(), "+", "%20"), // the same agent, escaped otherwise
	}
	body := `{"requests":["?` + strings.Join(entries, `","?`) + `"]}`
	req, _ := http.NewRequest(http.MethodPost, ts.srv.URL+"/matomo.php", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", human)
	wantStatus(t, ts.do(req), http.StatusOK)
	if st := ts.Stats(); st.Excluded["bot"] != 4 || st.Recorded != 3 {
		t.Errorf("excluded %v, recorded %d: want 4 bots and 3 recorded", st.Excluded, st.Recorded)
	}
}
