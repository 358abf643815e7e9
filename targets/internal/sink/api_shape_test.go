package sink

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// realAnswers holds Matomo 5.0.2's answers (README.md there lists the
// requests); the client's golden tests read them too.
const realAnswers = "../reporting/testdata/matomo-api"

// keysOf returns the keys of an answer: of the object, or of the first
// row of an array (of every row, for rows that differ in their keys).
func keysOf(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil {
		for k := range obj {
			keys[k] = true
		}
		return keys
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		t.Fatalf("neither an object nor an array of objects: %v", err)
	}
	for _, r := range rows {
		for k := range r {
			keys[k] = true
		}
	}
	return keys
}

// The sink answers with the shapes of the real answers: every key a
// client relies on is in the real file and in the sink's answer, with a
// value of the same JSON type.
func TestAPIShapesMatchMatomo(t *testing.T) {
	ts := newTestSink(t, Config{})
	knownDay(t, ts)
	day := []string{"idSite", "1", "period", "day", "date", "2024-06-01", "token_auth", testToken}
	cases := []struct {
		file string
		ask  []string
		keys []string
	}{
		{"API.getMatomoVersion.json", []string{"method", "API.getMatomoVersion"}, []string{"value"}},
		{"SitesManager.getSiteFromId.json", []string{"method", "SitesManager.getSiteFromId", "idSite", "1"},
			[]string{"idsite", "name", "timezone", "currency", "ecommerce", "main_url", "timezone_name"}},
		{"VisitsSummary.get.json", append([]string{"method", "VisitsSummary.get"}, day...),
			[]string{"nb_uniq_visitors", "nb_visits", "nb_actions", "nb_visits_converted", "bounce_count", "sum_visit_length", "max_actions", "bounce_rate", "nb_actions_per_visit", "avg_time_on_site"}},
		{"Actions.get.json", append([]string{"method", "Actions.get"}, day...),
			[]string{"nb_pageviews", "nb_downloads", "nb_outlinks", "nb_searches"}},
		{"Goals.get.ecommerceOrder.json", append([]string{"method", "Goals.get", "idGoal", "ecommerceOrder"}, day...),
			[]string{"nb_conversions", "nb_visits_converted", "revenue", "revenue_subtotal", "revenue_tax", "revenue_shipping", "revenue_discount", "items", "avg_order_revenue", "conversion_rate"}},
		{"Events.getCategory.json", append([]string{"method", "Events.getCategory", "flat", "1"}, day...),
			[]string{"label", "nb_visits", "nb_events", "nb_uniq_visitors", "Events_EventCategory", "Events_EventAction"}},
		{"Referrers.getReferrerType.json", append([]string{"method", "Referrers.getReferrerType"}, day...),
			[]string{"label", "nb_visits", "nb_actions", "segment", "referrer_type", "idsubdatatable"}},
		{"UserCountry.getCountry.json", append([]string{"method", "UserCountry.getCountry"}, day...),
			[]string{"label", "nb_visits", "code", "logo", "segment", "logoHeight"}},
		{"Live.getCounters.json", []string{"method", "Live.getCounters", "idSite", "1", "lastMinutes", "600", "token_auth", testToken},
			[]string{"visits", "actions", "visitors", "visitsConverted"}},
		{"Live.getLastVisitsDetails.json", append([]string{"method", "Live.getLastVisitsDetails"}, day...),
			[]string{"idSite", "idVisit", "visitorId", "actionDetails", "serverDate", "firstActionTimestamp", "lastActionTimestamp", "lastActionDateTime", "serverTimestamp", "visitConverted", "visitDuration", "actions", "referrerType", "countryCode"}},
		{"CoreAdminHome.invalidateArchivedReports.json", []string{"method", "CoreAdminHome.invalidateArchivedReports", "idSites", "1", "dates", "2024-06-01", "period", "day", "token_auth", testToken}, nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			realBody, err := os.ReadFile(filepath.Join(realAnswers, c.file))
			if err != nil {
				t.Fatal(err)
			}
			a := ts.api(append(c.ask, "token_auth", testToken)...)
			if c.keys == nil { // an array of strings
				var want, got []string
				if json.Unmarshal(realBody, &want) != nil || json.Unmarshal([]byte(a.body), &got) != nil || len(want) != 1 || len(got) != 1 {
					t.Fatalf("want an array of one string like %s, got %s", realBody, a.body)
				}
				return
			}
			realKeys, gotKeys := keysOf(t, realBody), keysOf(t, []byte(a.body))
			realTypes, gotTypes := typesOf(t, realBody), typesOf(t, []byte(a.body))
			for _, k := range c.keys {
				if !realKeys[k] {
					t.Errorf("%s: the real answer has no %q", c.file, k)
				}
				if !gotKeys[k] {
					t.Errorf("%s: the sink's answer has no %q: %s", c.file, k, a.body)
				}
				if realTypes[k] != gotTypes[k] && !(realTypes[k] == "mixed" && gotTypes[k] != "") {
					t.Errorf("%s: %q is a %s in the real answer, a %s in the sink's", c.file, k, realTypes[k], gotTypes[k])
				}
			}
		})
	}
	// Live's actions: the fields of each type, in the real answer and the sink's.
	realBody, err := os.ReadFile(filepath.Join(realAnswers, "Live.getLastVisitsDetails.json"))
	if err != nil {
		t.Fatal(err)
	}
	a := ts.api(append([]string{"method", "Live.getLastVisitsDetails", "segment", "visitorId==" + visitorA}, day...)...)
	for typ, keys := range map[string][]string{
		"action":         {"type", "url", "timestamp"},
		"download":       {"type", "url", "timestamp"},
		"event":          {"type", "url", "eventCategory", "eventAction", "timestamp"},
		"ecommerceOrder": {"type", "orderId", "revenue", "timestamp"},
	} {
		realKeys, gotKeys := actionKeys(t, realBody, typ), actionKeys(t, []byte(a.body), typ)
		if typ == "download" {
			b := ts.api(append([]string{"method", "Live.getLastVisitsDetails", "segment", "visitorId==" + visitorB}, day...)...)
			gotKeys = actionKeys(t, []byte(b.body), typ)
		}
		for _, k := range keys {
			if !realKeys[k] || !gotKeys[k] {
				t.Errorf("%s actions: %q in the real answer %v, in the sink's %v", typ, k, realKeys[k], gotKeys[k])
			}
		}
	}
}

// typesOf names the JSON type of each key ("mixed" when rows differ, as
// Matomo's numbers that are sometimes strings).
func typesOf(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var rows []map[string]any
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		rows = []map[string]any{obj}
	} else if err := json.Unmarshal(body, &rows); err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, r := range rows {
		for k, v := range r {
			var typ string
			switch v.(type) {
			case float64:
				typ = "number"
			case string:
				typ = "string"
			case []any:
				typ = "array"
			case map[string]any:
				typ = "object"
			default:
				typ = "null"
			}
			if old, ok := types[k]; ok && old != typ {
				typ = "mixed"
			}
			types[k] = typ
		}
	}
	return types
}

func actionKeys(t *testing.T, body []byte, typ string) map[string]bool {
	t.Helper()
	var visits []struct {
		Actions []map[string]json.RawMessage `json:"actionDetails"`
	}
	if err := json.Unmarshal(body, &visits); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, v := range visits {
		for _, a := range v.Actions {
			if string(a["type"]) == `"`+typ+`"` {
				for k := range a {
					keys[k] = true
				}
			}
		}
	}
	return keys
}
