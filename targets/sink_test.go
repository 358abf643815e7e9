package targets_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"
)

// hit is one pageview of site 1, as a form body.
const hit = "idsite=1&rec=1&url=http%3A%2F%2Fexample.com%2F&_id=0123456789abcdef&rand=42&send_image=0"

func send(c *http.Client, u string) (*http.Response, error) {
	resp, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader(hit))
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

// A test of a tracking client: start a sink, send, read what it recorded.
func ExampleStartSink() {
	s, err := targets.StartSink(targets.SinkOptions{
		Faults: targets.SinkFaults{Fault: targets.FirstN(1, targets.Throttle), RetryAfter: "1"},
	})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	for range 2 {
		resp, err := send(http.DefaultClient, s.URL)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%d Retry-After %q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fmt.Println(len(s.Recorded()), "recorded,", s.Faulted(), "faulted")
	// Output:
	// 429 Retry-After "1"
	// 204 Retry-After ""
	// 1 recorded, 1 faulted
}

func TestStartSinkFaultsEachKind(t *testing.T) {
	for _, c := range []struct {
		fault    targets.Fault
		status   int
		recorded int
	}{
		{targets.Healthy, 204, 1},
		{targets.Throttle, 429, 0},
		{targets.Unavailable, 503, 0},
	} {
		s, err := targets.StartSink(targets.SinkOptions{Faults: targets.SinkFaults{Fault: targets.Always(c.fault)}})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := send(http.DefaultClient, s.URL)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != c.status || len(s.Recorded()) != c.recorded || resp.Header.Get("Retry-After") != "" {
			t.Errorf("%v: status %d with %d recorded, Retry-After %q; want %d, %d, none",
				c.fault, resp.StatusCode, len(s.Recorded()), resp.Header.Get("Retry-After"), c.status, c.recorded)
		}
		s.Close()
	}
}

func TestStartSinkSlowAnswerAndReset(t *testing.T) {
	slow, err := targets.StartSink(targets.SinkOptions{Faults: targets.SinkFaults{Fault: targets.Always(targets.SlowAnswer), Delay: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	if _, err := send(&http.Client{Timeout: 100 * time.Millisecond}, slow.URL); err == nil {
		t.Error("the client got an answer before its timeout")
	}
	reset, err := targets.StartSink(targets.SinkOptions{Faults: targets.SinkFaults{Fault: targets.Always(targets.ResetAfterRead)}})
	if err != nil {
		t.Fatal(err)
	}
	defer reset.Close()
	if _, err := send(http.DefaultClient, reset.URL); !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("error %v, want a connection reset", err)
	}
	if len(slow.Recorded()) != 1 || len(reset.Recorded()) != 1 {
		t.Errorf("recorded %d and %d hits, want 1 each", len(slow.Recorded()), len(reset.Recorded()))
	}
}

// A site list of its own, and Duplicates finds a hit sent twice.
func TestStartSinkSitesAndDuplicates(t *testing.T) {
	s, err := targets.StartSink(targets.SinkOptions{Sites: []targets.SinkSite{{ID: 1, Tokens: []string{"tok-0123456789"}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 2 {
		if _, err := send(http.DefaultClient, s.URL); err != nil {
			t.Fatal(err)
		}
	}
	if d := s.Duplicates(); len(d) != 1 {
		t.Errorf("duplicates %q, want the one hit sent twice", d)
	}
	if st := s.Stats(); st.Requests != 2 || st.Recorded != 2 || s.Requests() != 2 || s.Faulted() != 0 {
		t.Errorf("stats %d requests, %d recorded; %d hit requests, %d faulted; want 2, 2, 2, 0", st.Requests, st.Recorded, s.Requests(), s.Faulted())
	}
}

// NewSink is a plain handler: serve it with httptest.
func TestNewSinkIsAHandler(t *testing.T) {
	if _, err := targets.NewSink(targets.SinkOptions{Sites: []targets.SinkSite{{ID: 0}}}); err == nil ||
		err.Error() != "sink: site id 0: must be a positive integer" {
		t.Fatalf("site 0: error %v", err)
	}
	s, err := targets.NewSink(targets.SinkOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/matomo.php", url.Values{"idsite": {"1"}, "rec": {"1"}, "send_image": {"0"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Strict: a hit without url breaks a rule and gets 400.
	if st := s.Stats(); resp.StatusCode != 400 || st.Requests != 1 || st.Recorded != 0 {
		t.Fatalf("status %d, %d requests, %d recorded; want 400, 1, 0", resp.StatusCode, st.Requests, st.Recorded)
	}
}

// A sink told to drop every visit answers each hit as a success, records
// nothing, counts what it dropped, and its Reporting API shows no visit.
func TestStartSinkDropsVisits(t *testing.T) {
	s, err := targets.StartSink(targets.SinkOptions{DropVisits: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 2 {
		resp, err := send(http.DefaultClient, s.URL)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%v %v", resp, err)
		}
	}
	st := s.Stats()
	if want := (targets.SinkMisbehaviour{DroppedVisits: 1, DroppedHits: 2}); st.Misbehaviour != want || st.Recorded != 0 || st.Tracked != 2 {
		t.Errorf("misbehaviour %+v recorded %d tracked %d", st.Misbehaviour, st.Recorded, st.Tracked)
	}
	resp, err := http.Get(s.ReportingURL() + "?module=API&format=JSON&method=Live.getCounters&idSite=1&lastMinutes=60")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var counters []map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&counters); err != nil || len(counters) != 1 || counters[0]["visits"] != 0 {
		t.Errorf("counters %v %v", counters, err)
	}
}
