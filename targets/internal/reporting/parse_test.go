package reporting

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

func TestNumberDecodesMatomosSpellings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{`2581`, 2581}, {`"2581"`, 2581}, {`"17%"`, 17}, {`" 3.5 "`, 3.5}, {`5.3`, 5.3},
		{`null`, 0}, {`false`, 0}, {`true`, 1}, {`""`, 0}, {`"0%"`, 0}, {`-4`, -4},
	} {
		var n number
		if err := json.Unmarshal([]byte(tc.in), &n); err != nil || float64(n) != tc.want {
			t.Errorf("%s = %v, %v; want %v", tc.in, float64(n), err, tc.want)
		}
	}
	for _, bad := range []string{`"abc"`, `"NaN"`, `"Inf"`, `{}`, `[1]`, `"1e999"`} {
		var n number
		if err := json.Unmarshal([]byte(bad), &n); err == nil {
			t.Errorf("%s decoded as %v, want an error", bad, float64(n))
		}
	}
}

func TestCentsRoundHalfAwayFromZero(t *testing.T) {
	for _, tc := range []struct {
		in   number
		want int64
	}{
		{3060.8299999999995, 306083}, {8980.45, 898045}, {0.125, 13}, {-0.125, -13}, {0.124, 12},
		{183.80000000000004, 18380}, {55.980000000000004, 5598}, {0, 0}, {1e300, 1<<63 - 1}, {-1e300, -1 << 63},
	} {
		if got := tc.in.cents(); got != tc.want {
			t.Errorf("cents(%v) = %d, want %d", float64(tc.in), got, tc.want)
		}
	}
}

// TestEmptyDay: a day without data answers [] in some reports and zeros
// in others; both are a day of zeros.
func TestEmptyDay(t *testing.T) {
	parsers := map[string]func([]byte, *kind.Figures) error{
		"VisitsSummary": parseVisitsSummary, "Actions": parseActions, "Events": parseEvents,
		"Goals": parseGoals, "Referrers": parseReferrerTypes, "Countries": parseCountries,
	}
	for name, parse := range parsers {
		for _, body := range []string{`[]`, " [ ] \n", `{}`} {
			var f kind.Figures
			if err := parse([]byte(body), &f); err != nil || !reflect.DeepEqual(f, kind.Figures{}) {
				t.Errorf("%s(%q) = %+v, %v; want zeros", name, body, f, err)
			}
		}
	}
	var f kind.Figures
	zeros := `{"nb_visits":0,"nb_uniq_visitors":0,"nb_actions":0,"bounce_rate":"0%"}`
	if err := parseVisitsSummary([]byte(zeros), &f); err != nil || !reflect.DeepEqual(f, kind.Figures{}) {
		t.Errorf("zeros = %+v, %v", f, err)
	}
	if v, err := parseVisits([]byte(`[]`)); err != nil || len(v) != 0 {
		t.Errorf("no visits = %v, %v", v, err)
	}
}

func TestWrongShapesAreDecodeErrors(t *testing.T) {
	var f kind.Figures
	for _, tc := range []struct {
		name  string
		parse func([]byte) error
		body  string
		want  string
	}{
		{"object of a table", func(b []byte) error { return parseCountries(b, &f) }, `{"nb_visits":1}`, "the answer is not a JSON array of rows"},
		{"two rows of an object", func(b []byte) error { return parseVisitsSummary(b, &f) }, `[{},{}]`, "an array of 2 rows where one object was expected"},
		{"string", func(b []byte) error { return parseActions(b, &f) }, `"x"`, "the answer is not a JSON object"},
		{"truncated", func(b []byte) error { return parseGoals(b, &f) }, `{"revenue": 1`, "invalid JSON at byte 13: unexpected end of JSON input"},
		{"column kind", func(b []byte) error { _, err := parseSite(b); return err }, `{"idsite":1,"name":[1]}`, `column "name" at byte 20 is a JSON array, not the expected kind`},
		{"no version", func(b []byte) error { _, err := parseVersion(b); return err }, `{"x":1}`, `no "value" in the answer`},
		{"no site", func(b []byte) error { _, err := parseSite(b); return err }, `[]`, `no "idsite" in the answer`},
	} {
		err := tc.parse([]byte(tc.body))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestReferrerAndCountryRows(t *testing.T) {
	var f kind.Figures
	refs := `[{"segment":"referrerType==campaign","nb_visits":"4"},{"referrer_type":7,"nb_visits":2},{"referrer_type":99,"nb_visits":1},{"segment":"referrerType==Search","nb_visits":3}]`
	if err := parseReferrerTypes([]byte(refs), &f); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"campaign": 4, "social": 2, "unknown": 1, "search": 3}; !reflect.DeepEqual(f.ReferrerTypes, want) {
		t.Errorf("referrer types %v, want %v", f.ReferrerTypes, want)
	}
	countries := `[{"code":"US","nb_visits":"5"},{"code":"xx","nb_visits":1},{"code":"","nb_visits":2},{"code":"us","nb_visits":1}]`
	if err := parseCountries([]byte(countries), &f); err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"us": 6, "xx": 3}; !reflect.DeepEqual(f.Countries, want) {
		t.Errorf("countries %v, want %v", f.Countries, want)
	}
}

// TestVisitsSortAndReduce: visits come sorted by their first action;
// actions keep Matomo's order; goal conversions are dropped; an order id
// of digits and a revenue as a string decode.
func TestVisitsSortAndReduce(t *testing.T) {
	body := `[
	 {"visitorId":"bbbbbbbbbbbbbbbb","firstActionTimestamp":200,"lastActionTimestamp":"260","actionDetails":[
	  {"type":"search","url":null,"siteSearchKeyword":"boots","timestamp":200},
	  {"type":"goal","goalName":"Newsletter","timestamp":230},
	  {"type":"ecommerceOrder","orderId":1234,"revenue":"19.995","timestamp":260},
	  {"type":"outlink","url":"https://elsewhere.test/","timestamp":250}]},
	 {"visitorId":"aaaaaaaaaaaaaaaa","firstActionTimestamp":100,"lastActionTimestamp":100}
	]`
	v, err := parseVisits([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []kind.LiveVisit{
		{VisitorID: "aaaaaaaaaaaaaaaa", First: 100, Last: 100, Actions: []kind.LiveAction{}},
		{VisitorID: "bbbbbbbbbbbbbbbb", First: 200, Last: 260, Actions: []kind.LiveAction{
			{Type: "search", Keyword: "boots", Timestamp: 200},
			{Type: "ecommerceOrder", OrderID: "1234", RevenueCents: 2000, Timestamp: 260},
			{Type: "outlink", URL: "https://elsewhere.test/", Timestamp: 250},
		}},
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("visits\n%+v\nwant\n%+v", v, want)
	}
}

func TestHTMLMessage(t *testing.T) {
	for _, tc := range []struct {
		page string
		want *answerErr
	}{
		{string(apiFile(t, "error.bad-token.html")), &answerErr{KindAuth, "Unable to authenticate with the provided token. It is either invalid or expired."}},
		{"<html><title>Matomo &rsaquo; Error</title><h2>Mysql &amp; <b>down</b></h2></html>", &answerErr{KindAPI, "Mysql & down"}},
		{"<html><title>Login - Matomo</title></html>", &answerErr{KindAuth, "Login - Matomo"}},
		{"  <!DOCTYPE html><p>hi</p>", &answerErr{KindAPI, "an HTML page instead of JSON (is the URL Matomo's index.php?)"}},
		{`{"result":"error","message":"You can't access this resource as it requires 'view' access for the website id = 3."}`,
			&answerErr{KindAuth, "You can't access this resource as it requires 'view' access for the website id = 3."}},
		{`{"result":"error","message":"The method 'X.y' does not exist"}`, &answerErr{KindAPI, "The method 'X.y' does not exist"}},
		{`{"result":"success","message":"ok"}`, nil},
		{`{"nb_visits":1}`, nil},
		{`[]`, nil},
	} {
		if got := answerError([]byte(tc.page)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("answerError(%.40q) = %+v, want %+v", tc.page, got, tc.want)
		}
	}
}

func TestInvalidateAnswer(t *testing.T) {
	for _, tc := range []struct {
		answer string
		want   string // "" = success
	}{
		{string(apiFile(t, "CoreAdminHome.invalidateArchivedReports.json")), ""},
		{`{"result":"success","message":"ok"}`, ""},
		{`{"result":"error","message":"no\n access"}`, "invalidateArchivedReports refused: no access"},
		{`{"result":"error"}`, "invalidateArchivedReports refused: no message"},
		{`<html>login</html>`, "invalidateArchivedReports: the answer is not JSON"},
	} {
		err := InvalidateAnswer([]byte(tc.answer))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("answer %.40q: error %q, want %q", tc.answer, got, tc.want)
		}
	}
}
