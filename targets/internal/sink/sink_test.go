package sink

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestNewRejectsBadSites(t *testing.T) {
	cases := map[string]Site{
		"site id 0: must be a positive integer": {ID: 0},
		"unknown timezone":                      {ID: 1, Timezone: "Mars/Olympus"},
		"empty token":                           {ID: 1, Tokens: []string{""}},
		"goal id 0 must be positive":            {ID: 1, Goals: []int{0}},
	}
	for want, site := range cases {
		if _, err := New(Config{Sites: []Site{site}}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%+v) error = %v, want %q", site, err, want)
		}
	}
	_, err := New(Config{Sites: []Site{{ID: 2}, {ID: 2}}})
	if err == nil || !strings.Contains(err.Error(), "configured twice") {
		t.Errorf("duplicate site: %v", err)
	}
}

func TestNoSitesMeansSiteOne(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	if len(st.Sites) != 1 || st.Sites[0].ID != 1 || st.Sites[0].Timezone != "UTC" {
		t.Errorf("sites %+v", st.Sites)
	}
}

func TestStartServesOnLoopbackAndCloses(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Start("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/matomo.php") {
		t.Fatalf("Start returned %q", u)
	}
	if _, err := s.Start(""); err == nil {
		t.Error("a second Start succeeded")
	}
	resp, err := http.Get(u + "?" + validHit().Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("status %d", resp.StatusCode)
	}

	resp, err = http.Get(strings.TrimSuffix(u, "/matomo.php") + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	var st Stats
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || st.Recorded != 1 {
		t.Errorf("stats over HTTP: %v, recorded %d", err, st.Recorded)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(u); err == nil {
		t.Error("the sink still answers after Close")
	}
	if s.Stats().Recorded != 1 {
		t.Error("stats lost after Close")
	}
}

func TestStartRejectsBadAddress(t *testing.T) {
	s, _ := New(Config{})
	if _, err := s.Start("not an address"); err == nil {
		t.Error("Start accepted a bad address")
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close of a sink that never started: %v", err)
	}
}

func TestStatsEndpointMethods(t *testing.T) {
	ts := newTestSink(t, Config{})
	req, _ := http.NewRequest(http.MethodPost, ts.srv.URL+"/stats", nil)
	wantStatus(t, ts.do(req), http.StatusMethodNotAllowed)
	a := ts.get("/stats", "")
	if a.header.Get("Content-Type") != "application/json" || !json.Valid([]byte(a.body)) {
		t.Errorf("stats answer %q (%s)", a.body, a.header.Get("Content-Type"))
	}
}

// Concurrent hits from many goroutines: every one is counted once (run
// with -race to check the sharding).
func TestConcurrentHits(t *testing.T) {
	ts := newTestSink(t, Config{})
	const workers, each = 8, 50
	done := make(chan error, workers)
	for w := range workers {
		go func() {
			client := ts.srv.Client()
			for i := range each {
				id := strings.Repeat("0", 14) + string("0123456789abcdef"[w]) + string("0123456789abcdef"[i%4])
				resp, err := client.Get(ts.srv.URL + "/matomo.php?" + with(validHit(), "_id", id).Encode())
				if err != nil {
					done <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			done <- nil
		}()
	}
	for range workers {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	st := ts.Stats()
	if st.Recorded != workers*each {
		t.Errorf("recorded %d, want %d", st.Recorded, workers*each)
	}
	if s := ts.site(1); s.Visitors != workers*4 || s.Visits != workers*4 || s.Actions != workers*each {
		t.Errorf("visitors %d visits %d actions %d", s.Visitors, s.Visits, s.Actions)
	}
}

func TestNewRejectsBadBodyLimit(t *testing.T) {
	for _, n := range []int64{-1, MaxMaxBody + 1} {
		if _, err := New(Config{MaxBody: n}); err == nil || !strings.Contains(err.Error(), "body limit") {
			t.Errorf("MaxBody %d: %v", n, err)
		}
	}
}
