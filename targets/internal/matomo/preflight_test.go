package matomo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

// fakeMatomo answers the tracker with trackStatus and the API with apiBody
// when the token is right (badBody otherwise).
func fakeMatomo(t *testing.T, trackStatus int, apiBody, badBody string) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, _ := rec.record(r)
		form, _ := url.ParseQuery(q.Body)
		switch r.URL.Path {
		case "/m/matomo.php":
			w.WriteHeader(trackStatus)
		case "/m/index.php":
			w.Header().Set("Content-Type", "application/json")
			if form.Get("token_auth") == testToken {
				_, _ = w.Write([]byte(apiBody))
			} else {
				_, _ = w.Write([]byte(badBody))
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

const refusal = `{"result":"error","message":"Unable to authenticate with the provided token. It is either invalid, expired or is required to be sent as a POST parameter."}`

func TestPreflightValidToken(t *testing.T) {
	rec := fakeMatomo(t, 204, `{"value":"5.0.2"}`, refusal)
	c := mustNew(t, Config{URL: rec.srv.URL + "/m/matomo.php", Token: testToken, SiteID: 3})
	r := c.Preflight(context.Background())
	if !r.Reachable || r.Status != 204 || r.TokenOK == nil || !*r.TokenOK || r.Version != "5.0.2" {
		t.Fatalf("Preflight = %+v", r)
	}
	if want := "tracking endpoint answered HTTP 204; token accepted (Matomo 5.0.2)"; r.Message != want {
		t.Errorf("Message %q, want %q", r.Message, want)
	}
	q := rec.requests()
	if len(q) != 2 {
		t.Fatalf("%d requests, want 2", len(q))
	}
	// The tracking probe: no rec=1 (so nothing is recorded), no token.
	if q[0].Method != "POST" || q[0].RequestURI != "/m/matomo.php" || q[0].Body != "idsite=3&send_image=0" {
		t.Errorf("tracking probe %s %s %q", q[0].Method, q[0].RequestURI, q[0].Body)
	}
	wantAPI := "module=API&method=API.getMatomoVersion&format=JSON&token_auth=" + url.QueryEscape(testToken)
	if q[1].Method != "POST" || q[1].RequestURI != "/m/index.php" || q[1].Body != wantAPI {
		t.Errorf("API probe %s %s %q", q[1].Method, q[1].RequestURI, q[1].Body)
	}
}

func TestPreflightRefusedToken(t *testing.T) {
	rec := fakeMatomo(t, 204, `{"value":"5.0.2"}`, refusal)
	c := mustNew(t, Config{URL: rec.srv.URL + "/m/matomo.php", Token: "wrong-token"})
	r := c.Preflight(context.Background())
	if !r.Reachable || r.TokenOK == nil || *r.TokenOK || r.Version != "" {
		t.Fatalf("Preflight = %+v", r)
	}
	if !strings.Contains(r.Message, "token refused: Unable to authenticate with the provided token.") {
		t.Errorf("Message %q", r.Message)
	}
	if q := rec.requests(); q[0].Body != "send_image=0" {
		t.Errorf("probe without SiteID sent %q", q[0].Body)
	}
}

// Matomo 5.0.2 answers a wrong token with an HTML error page, whatever
// format says (../reporting/testdata/matomo-api/error.bad-token.html): the
// token is refused, not "unchecked".
func TestPreflightRefusedTokenHTMLPage(t *testing.T) {
	page, err := os.ReadFile("../reporting/testdata/matomo-api/error.bad-token.html")
	if err != nil {
		t.Fatal(err)
	}
	rec := fakeMatomo(t, 204, `{"value":"5.0.2"}`, string(page))
	c := mustNew(t, Config{URL: rec.srv.URL + "/m/matomo.php", Token: "wrong-token"})
	r := c.Preflight(context.Background())
	if r.TokenOK == nil || *r.TokenOK {
		t.Fatalf("Preflight = %+v", r)
	}
	if want := "tracking endpoint answered HTTP 204; token refused: Unable to authenticate with the provided token. It is either invalid or expired."; r.Message != want {
		t.Errorf("Message %q, want %q", r.Message, want)
	}
}

func TestPreflightNoToken(t *testing.T) {
	rec := fakeMatomo(t, 204, "", "")
	r := mustNew(t, Config{URL: rec.srv.URL + "/m/matomo.php"}).Preflight(context.Background())
	if !r.Reachable || r.TokenOK != nil || r.Message != "tracking endpoint answered HTTP 204" {
		t.Errorf("Preflight = %+v", r)
	}
	if n := len(rec.requests()); n != 1 {
		t.Errorf("%d requests without a token, want 1 (no API call)", n)
	}
}

func TestPreflightUnexpectedAnswers(t *testing.T) {
	// Tracker 404 (wrong path) and an API that answers HTML (a login page).
	rec := fakeMatomo(t, 404, "<html>login</html>", "<html>login</html>")
	c := mustNew(t, Config{URL: rec.srv.URL + "/m/matomo.php", Token: testToken})
	r := c.Preflight(context.Background())
	if r.Reachable || r.Status != 404 || r.TokenOK != nil {
		t.Fatalf("Preflight = %+v", r)
	}
	want := "tracking endpoint answered HTTP 404 (expected 200 or 204); token not checked: the API at " +
		rec.srv.URL + "/m/index.php answered HTTP 200 without JSON"
	if r.Message != want {
		t.Errorf("Message\n got %q\nwant %q", r.Message, want)
	}
}

func TestPreflightExplicitAPIURLAndUnreachable(t *testing.T) {
	api := fakeMatomo(t, 204, `{"value":"4.16.1"}`, refusal)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c := mustNew(t, Config{URL: closed.URL + "/matomo.php", APIURL: api.srv.URL + "/m/index.php", Token: testToken})
	r := c.Preflight(context.Background())
	if r.Reachable || r.Status != 0 || r.TokenOK == nil || !*r.TokenOK || r.Version != "4.16.1" {
		t.Fatalf("Preflight = %+v", r)
	}
	if !strings.HasPrefix(r.Message, "tracking endpoint unreachable: matomo: POST "+closed.URL+"/matomo.php: connect: ") {
		t.Errorf("Message %q", r.Message)
	}
}
