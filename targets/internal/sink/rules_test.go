package sink

import (
	"net/http"
	"strings"
	"testing"
)

type ruleCase struct {
	rule string
	pass [][]string // modifications of validHit that keep the rule
	fail [][]string // modifications that break it (and only it)
}

var order = []string{"idgoal", "0", "ec_id", "ORD-1", "revenue", "21.50"}

func kvs(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

var ruleCases = []ruleCase{
	{"visitor_id",
		[][]string{{"_id", "0123456789ABCDEF"}},
		[][]string{{"_id", "0123456789abcdeg"}, {"_id", "0123456789abcde"}, {"-_id", ""}}},
	{"pv_id",
		[][]string{{"pv_id", "Zz9-_x"}, {"-pv_id", ""}},
		[][]string{{"pv_id", "a1b2c"}, {"pv_id", "a1b2c3d"}}},
	{"url_absolute",
		[][]string{{"url", "http://example.com"}, {"url", "https://user@example.com:8443/p?q=1#f"}},
		[][]string{{"url", "/products/page-1"}, {"url", "example.com/page"}, {"url", "https:///page"}, {"-url", ""}}},
	{"url_length",
		[][]string{{"url", "https://example.com/" + strings.Repeat("a", 1024-20)}},
		[][]string{{"url", "https://example.com/" + strings.Repeat("a", 1025-20)}}},
	{"urlref_absolute",
		[][]string{{"urlref", "https://www.google.com/search?q=x"}, {"urlref", ""}},
		[][]string{{"urlref", "www.google.com"}, {"urlref", "android-app:/x"}}},
	{"event_category_action",
		[][]string{{"e_c", "Cart", "e_a", "Add"}, {"e_c", "Cart", "e_a", "Add", "e_n", "SKU", "e_v", "3"}},
		[][]string{{"e_c", "Cart", "e_a", ""}, {"e_c", " ", "e_a", "Add"}, {"e_n", "only a name"}}},
	{"event_value",
		[][]string{{"e_c", "C", "e_a", "A", "e_v", "-4.5e1"}},
		[][]string{{"e_c", "C", "e_a", "A", "e_v", "abc"}, {"e_c", "C", "e_a", "A", "e_v", "0x10"}, {"e_c", "C", "e_a", "A", "e_v", ""}}},
	{"ec_items",
		[][]string{
			kvs(order, []string{"ec_items", `[["SKU1","Book","Books",9.99,2],["SKU2","Pen",["Office","Pens"],"1.5","1"]]`}),
			kvs(order, []string{"ec_items", `[]`}),
		},
		[][]string{
			kvs(order, []string{"ec_items", `[["","Book","Books",9.99,2]]`}),
			kvs(order, []string{"ec_items", `[["SKU1","Book","Books","cheap",2]]`}),
			kvs(order, []string{"ec_items", `[["SKU1","Book","Books",9.99,"many"]]`}),
			kvs(order, []string{"ec_items", `[["SKU1","Book","Books",9.99]]`}),
			kvs(order, []string{"ec_items", `{"sku":"SKU1"}`}),
			kvs(order, []string{"ec_items", `[["SKU1","Book",["a","b","c","d","e","f"],9.99,2]]`}),
			kvs(order, []string{"ec_items", `not json`}),
		}},
	{"order_revenue",
		[][]string{order, {"idgoal", "0"}}, // a cart update needs no revenue
		[][]string{{"idgoal", "0", "ec_id", "ORD-1"}, {"idgoal", "0", "ec_id", "ORD-1", "revenue", "lots"}}},
	{"order_totals",
		[][]string{
			kvs(order, []string{"ec_st", "20", "ec_tx", "2", "ec_sh", "0.5", "ec_dt", "1"}),
			kvs(order, []string{"ec_st", "19.50", "ec_tx", "2.01"}), // one cent off is within tolerance
		},
		[][]string{
			kvs(order, []string{"ec_st", "20", "ec_tx", "2", "ec_sh", "5"}),
			kvs(order, []string{"ec_st", "19.50", "ec_tx", "2.02"}),
			kvs(order, []string{"ec_st", "21.50", "ec_dt", "free"}),
		}},
	{"download_absolute",
		[][]string{{"download", "https://cdn.example.com/file.pdf"}},
		[][]string{{"download", "/file.pdf"}, {"download", "file.pdf"}}},
	{"link_absolute",
		[][]string{{"link", "https://github.com/matomo-org"}},
		[][]string{{"link", "github.com/matomo-org"}, {"link", "mailto:x@example.com"}}},
	{"cdt_format",
		[][]string{{"cdt", "2024-06-01 11:00:00"}, {"cdt", "1717239600"}, {"cdt", "1717239600.250"}},
		[][]string{{"cdt", "2024-06-01T11:00:00Z"}, {"cdt", "2024-02-30 10:00:00"}, {"cdt", "2024-06-01 24:00:00"}, {"cdt", "1717239600."}, {"cdt", "-5"}}},
	{"ping_with_ca",
		[][]string{{"ca", "1"}},
		[][]string{{"ping", "1", "ca", "1"}}},
}

func TestRulesPassAndFail(t *testing.T) {
	for _, rc := range ruleCases {
		for i, kv := range rc.pass {
			t.Run(rc.rule+"/pass", func(t *testing.T) {
				st := ruleStats(t, Config{}, with(validHit(), kv...), http.StatusNoContent)
				for name, c := range st.Rules {
					if c.Count != 0 {
						t.Errorf("pass case %d %v broke %s", i, kv, name)
					}
				}
			})
		}
		for i, kv := range rc.fail {
			t.Run(rc.rule+"/fail", func(t *testing.T) {
				st := ruleStats(t, Config{}, with(validHit(), kv...), http.StatusNoContent)
				for name, c := range st.Rules {
					want := int64(0)
					if name == rc.rule {
						want = 1
					}
					if c.Count != want {
						t.Errorf("fail case %d %v: %s counted %d, want %d", i, kv, name, c.Count, want)
					}
				}
				if st.Rules[rc.rule].Example == "" {
					t.Errorf("no example for %s", rc.rule)
				}
				// Strict mode answers 400 to the same hit.
				st = ruleStats(t, Config{Strict: true}, with(validHit(), kv...), http.StatusBadRequest)
				if st.Rejected["strict"].Count != 1 || st.Recorded != 0 {
					t.Errorf("strict: rejected %v, recorded %d", st.Rejected, st.Recorded)
				}
			})
		}
	}
}

func ruleStats(t *testing.T, cfg Config, hit map[string][]string, status int) Stats {
	t.Helper()
	ts := newTestSink(t, cfg)
	wantStatus(t, ts.hit(hit), status)
	return ts.Stats()
}

// Rules that need a raw request: malformed escapes and a token in the URL.
func TestRulesOfTheRawRequest(t *testing.T) {
	ts := newTestSink(t, Config{})
	wantStatus(t, ts.get("/matomo.php", validHit().Encode()+"&action_name=100%25+sure%zz"), http.StatusNoContent)
	st := ts.Stats()
	if st.Rules["query_encoding"].Count != 1 {
		t.Errorf("query_encoding = %d, want 1", st.Rules["query_encoding"].Count)
	}

	ts = newTestSink(t, Config{})
	q := with(validHit(), "token_auth", testToken).Encode()
	wantStatus(t, ts.get("/matomo.php", q), http.StatusNoContent)
	wantStatus(t, ts.post("/matomo.php", "", "application/x-www-form-urlencoded", q), http.StatusNoContent)
	st = ts.Stats()
	if c := st.Rules["token_in_url"]; c.Count != 1 {
		t.Errorf("token_in_url = %d, want 1 (the GET only)", c.Count)
	}
	if ex := st.Rules["token_in_url"].Example; strings.Contains(ex, testToken) || !strings.Contains(ex, "token_auth=REDACTED") {
		t.Errorf("example %q leaks the token or lacks the redaction", ex)
	}
	for name, c := range st.Rules {
		if name != "token_in_url" && c.Count != 0 {
			t.Errorf("%s counted %d", name, c.Count)
		}
	}

	ts = newTestSink(t, Config{Strict: true})
	wantStatus(t, ts.get("/matomo.php", q), http.StatusBadRequest)
}

// Rules are counted for every hit, also for hits Matomo rejects or
// excludes, and change nothing else outside Strict mode. A request without
// rec=1 is no hit (a preflight check sends one): no rule applies to it.
func TestRulesCountedWhateverTheAnswer(t *testing.T) {
	ts := newTestSink(t, Config{})
	wantStatus(t, ts.hit(with(validHit(), "idsite", "9", "url", "/x")), http.StatusBadRequest)
	wantStatus(t, ts.hit(with(validHit(), "rec", "0", "url", "/y")), http.StatusNoContent)
	wantStatus(t, ts.hit(with(validHit(), "url", "/z")), http.StatusNoContent)
	st := ts.Stats()
	if c := st.Rules["url_absolute"]; c.Count != 2 || !strings.Contains(c.Example, "url=%2Fx") {
		t.Errorf("url_absolute = %+v, want 2 (not the rec=0 request) with the first hit as example", c)
	}
	if st.Recorded != 1 || st.Invalid != 1 || st.Excluded["no_rec"] != 1 {
		t.Errorf("recorded %d invalid %d excluded %v", st.Recorded, st.Invalid, st.Excluded)
	}
}
