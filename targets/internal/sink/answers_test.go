package sink

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func TestSingleHitAnswers(t *testing.T) {
	ts := newTestSink(t, Config{})

	a := ts.hit(validHit())
	wantStatus(t, a, http.StatusNoContent)
	if a.body != "" {
		t.Errorf("204 with body %q", a.body)
	}

	a = ts.get("/piwik.php", with(validHit(), "-send_image", "").Encode())
	wantStatus(t, a, http.StatusOK)
	if ct := a.header.Get("Content-Type"); ct != "image/gif" {
		t.Errorf("Content-Type %q, want image/gif", ct)
	}
	if len(a.body) != 43 || !bytes.Equal([]byte(a.body), transparentGIF) {
		t.Errorf("body is %d bytes, want the 43-byte GIF", len(a.body))
	}

	a = ts.postForm(validHit())
	wantStatus(t, a, http.StatusNoContent)
	a = ts.post("/piwik.php", "", "application/x-www-form-urlencoded", with(validHit(), "send_image", "1").Encode())
	wantStatus(t, a, http.StatusOK)

	st := ts.Stats()
	if st.Requests != 4 || st.Hits != 4 || st.Recorded != 4 || st.Tracked != 4 || st.Invalid != 0 {
		t.Errorf("requests %d hits %d recorded %d tracked %d invalid %d; want 4 4 4 4 0",
			st.Requests, st.Hits, st.Recorded, st.Tracked, st.Invalid)
	}
	if st.Responses["204"] != 2 || st.Responses["200"] != 2 {
		t.Errorf("responses %v", st.Responses)
	}
}

func TestURLParametersWinOverBody(t *testing.T) {
	ts := newTestSink(t, Config{})
	// The body names a site that does not exist; the URL's idsite wins.
	a := ts.post("/matomo.php", "idsite=1", "application/x-www-form-urlencoded", with(validHit(), "idsite", "99").Encode())
	wantStatus(t, a, http.StatusNoContent)
	// And the other way round.
	a = ts.post("/matomo.php", "idsite=99", "application/x-www-form-urlencoded", validHit().Encode())
	wantStatus(t, a, http.StatusBadRequest)
}

func TestRequestLevelAnswers(t *testing.T) {
	ts := newTestSink(t, Config{})
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		inBody string
	}{
		{"bare GET shows the Matomo page", http.MethodGet, "/matomo.php", "", 200, "part of Matomo"},
		{"empty POST", http.MethodPost, "/matomo.php", "", 400, "empty request"},
		{"PUT", http.MethodPut, "/matomo.php", "idsite=1", 405, "method not allowed"},
		{"unknown path", http.MethodGet, "/admin.php", "", 404, "not found"},
		{"index.php without module=API", http.MethodGet, "/index.php", "", 400, "module=API is required"},
		{"healthz", http.MethodGet, "/healthz", "", 200, "ok\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, ts.srv.URL+c.path, strings.NewReader(c.body))
			a := ts.do(req)
			wantStatus(t, a, c.status)
			if !strings.Contains(a.body, c.inBody) {
				t.Errorf("body %q does not contain %q", a.body, c.inBody)
			}
		})
	}
	st := ts.Stats()
	if st.RequestErrors["empty"] != 2 || st.RequestErrors["method"] != 1 || st.Hits != 0 {
		t.Errorf("request errors %v, hits %d", st.RequestErrors, st.Hits)
	}
}

func TestBodyLimit(t *testing.T) {
	ts := newTestSink(t, Config{MaxBody: 1024})
	big := with(validHit(), "action_name", strings.Repeat("x", 2000)).Encode()
	a := ts.post("/matomo.php", "", "application/x-www-form-urlencoded", big)
	wantStatus(t, a, http.StatusRequestEntityTooLarge)

	// Without a Content-Length (chunked), the limit holds while reading.
	req, _ := http.NewRequest(http.MethodPost, ts.srv.URL+"/matomo.php", struct{ *strings.Reader }{strings.NewReader(big)})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	a = ts.do(req)
	wantStatus(t, a, http.StatusRequestEntityTooLarge)

	// A bulk body over the limit too.
	a = ts.bulk(`{"requests":["?` + big + `"]}`)
	wantStatus(t, a, http.StatusRequestEntityTooLarge)

	// Right at the limit is fine.
	exact := validHit().Encode()
	exact += "&action_name=" + strings.Repeat("y", 1024-len(exact)-len("&action_name="))
	if len(exact) != 1024 {
		t.Fatalf("test body is %d bytes", len(exact))
	}
	a = ts.post("/matomo.php", "", "application/x-www-form-urlencoded", exact)
	wantStatus(t, a, http.StatusNoContent)

	if n := ts.Stats().RequestErrors["body_too_large"]; n != 3 {
		t.Errorf("body_too_large = %d, want 3", n)
	}
}

func TestDefaultMaxBodyIs32MiB(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if s.maxBody != 32<<20 {
		t.Errorf("default body limit %d, want 32 MiB", s.maxBody)
	}
}
