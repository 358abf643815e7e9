package reporting

import (
	"context"
	"net/url"
	"reflect"
	"testing"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Golden tests: each parses one real answer of Matomo 5.0.2
// (testdata/matomo-api) through a loopback server, and asserts the exact
// figures of the file.

func TestGoldenVersion(t *testing.T) {
	v, err := newFakeAPI(t).client(t, 12).Version(context.Background())
	if err != nil || v != "5.0.2" {
		t.Fatalf("Version = %q, %v; want 5.0.2", v, err)
	}
}

func TestGoldenSite(t *testing.T) {
	s, err := newFakeAPI(t).client(t, 12).Site(context.Background())
	want := kind.SiteInfo{ID: 12, Name: "perf29357", Timezone: "UTC", Currency: "USD", Ecommerce: true}
	if err != nil || s != want {
		t.Fatalf("Site = %+v, %v; want %+v", s, err, want)
	}
}

func TestGoldenCounters(t *testing.T) {
	n, err := newFakeAPI(t).client(t, 12).Counters(context.Background(), 60)
	want := kind.LiveCounters{Visits: 1918, Actions: 10171, Visitors: 1600}
	if err != nil || n != want {
		t.Fatalf("Counters = %+v, %v; want %+v", n, err, want)
	}
}

func TestGoldenInvalidate(t *testing.T) {
	if err := newFakeAPI(t).client(t, 12).Invalidate(context.Background(), []string{"2026-12-03"}); err != nil {
		t.Fatalf("Matomo 5.0.2's success answer taken as failure: %v", err)
	}
}

// TestGoldenDay reads the six reports of a day: every figure is the one of
// its file (Events summed over the rows, one of them with numbers as
// strings; money rounded to cents; Countries' nb_visits as numbers next
// to nb_actions as strings).
func TestGoldenDay(t *testing.T) {
	f, err := newFakeAPI(t).client(t, 12).Day(context.Background(), "2026-12-03")
	if err != nil {
		t.Fatal(err)
	}
	want := kind.Figures{
		Visits: 1918, UniqueVisitors: 1600, Actions: 10171, // VisitsSummary.get.json
		Pageviews: 8674, Searches: 374, Outlinks: 191, Downloads: 151, // Actions.get.json
		Events: 76 + 60 + 61,                                                                           // Events.getCategory.json
		Orders: 90, RevenueCents: 898045, SubtotalCents: 760463, TaxCents: 76044, ShippingCents: 61538, // Goals.get.ecommerceOrder.json
		ReferrerTypes: map[string]int64{"search": 679, "direct": 594, "website": 436, "social": 209},
		Countries:     map[string]int64{"us": 480, "de": 237, "gb": 142, "ca": 130, "fr": 119},
	}
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("Day =\n%+v\nwant\n%+v", f, want)
	}
}

func TestGoldenVisits(t *testing.T) {
	v, err := newFakeAPI(t).client(t, 12).Visits(context.Background(), "65b829eed8673f59", "2026-12-03", "2026-12-03")
	if err != nil {
		t.Fatal(err)
	}
	want := []kind.LiveVisit{{VisitorID: "65b829eed8673f59", First: 1796284447, Last: 1796284711, Actions: []kind.LiveAction{
		{Type: "action", URL: "https://example.test/community/forums/forums-371", Timestamp: 1796284447},
		{Type: "action", URL: "https://example.test/company/leadership/leadership-053", Timestamp: 1796284514},
		{Type: "download", URL: "https://example.test/downloads/case-study.pdf", Timestamp: 1796284552},
		{Type: "action", URL: "https://example.test/blog/tutorials/tutorials-171", Timestamp: 1796284583},
		{Type: "action", URL: "https://example.test/community/showcase/showcase-277", Timestamp: 1796284633},
		{Type: "ecommerceOrder", OrderID: "ac3c133f-17b", RevenueCents: 14404, Timestamp: 1796284711},
		{Type: "event", URL: "https://example.test/community/showcase/showcase-277", EventCategory: "UI", EventAction: "Image Click", Timestamp: 1796284711},
	}}}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("Visits =\n%+v\nwant\n%+v", v, want)
	}
}

func TestGoldenHasRawVisits(t *testing.T) {
	ok, err := newFakeAPI(t).client(t, 12).HasRawVisits(context.Background(), "2026-12-03")
	if err != nil || !ok {
		t.Fatalf("HasRawVisits = %v, %v; want true", ok, err)
	}
}

// TestGoldenBadToken: Matomo answers a wrong token with an HTML page,
// whatever format says; its message becomes an auth error.
func TestGoldenBadToken(t *testing.T) {
	api := newFakeAPI(t)
	page := apiFile(t, "error.bad-token.html")
	api.answer = func(url.Values) (int, []byte) { return 200, page }
	_, err := api.client(t, 12).Day(context.Background(), "2026-12-03")
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %T %v, want *Error", err, err)
	}
	const msg = "Unable to authenticate with the provided token. It is either invalid or expired."
	if e.Kind != KindAuth || e.Status != 200 || e.Method != "VisitsSummary.get" || e.Message != msg {
		t.Fatalf("error %+v", e)
	}
	want := "reporting API VisitsSummary.get at " + api.srv.URL + "/matomo/index.php: Matomo refused the token: " + msg
	if e.Error() != want {
		t.Fatalf("error text\n%s\nwant\n%s", e.Error(), want)
	}
}
