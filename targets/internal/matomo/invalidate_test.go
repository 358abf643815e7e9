package matomo

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestInvalidateSendsTheWindowInTheBody(t *testing.T) {
	var got url.Values
	var rawQuery, path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got, _ = url.ParseQuery(string(body))
		rawQuery, path = r.URL.RawQuery, r.URL.Path
		_, _ = io.WriteString(w, `{"result":"success","message":"Success"}`)
	}))
	defer srv.Close()
	c, err := New(Config{URL: srv.URL + "/matomo/matomo.php", Token: "secret-token-123"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Invalidate(context.Background(), 4, []string{"2026-10-01", "2026-10-02"}); err != nil {
		t.Fatal(err)
	}
	if path != "/matomo/index.php" || rawQuery != "" {
		t.Fatalf("request to %s?%s, want /matomo/index.php with no query", path, rawQuery)
	}
	want := map[string]string{"module": "API", "method": "CoreAdminHome.invalidateArchivedReports", "idSites": "4",
		"dates": "2026-10-01,2026-10-02", "period": "day", "format": "JSON", "token_auth": "secret-token-123"}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Get(k), v)
		}
	}
}

func TestInvalidateRefusalNeverShowsTheToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"result":"error","message":"token secret-token-123 has no admin access"}`)
	}))
	defer srv.Close()
	c, _ := New(Config{URL: srv.URL + "/matomo.php", Token: "secret-token-123"})
	err := c.Invalidate(context.Background(), 1, []string{"2026-10-01"})
	if err == nil || strings.Contains(err.Error(), "secret-token-123") || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("error %v", err)
	}
}

// Matomo 5.0.2 answers a successful invalidation with a JSON array of one
// message; testdata holds its answer byte for byte.
func TestInvalidateAcceptsMatomo502Answer(t *testing.T) {
	body, err := os.ReadFile("testdata/invalidate-5.0.2.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, _ := New(Config{URL: srv.URL + "/matomo.php", Token: "secret-token-123"})
	if err := c.Invalidate(context.Background(), 1, []string{"2026-12-03"}); err != nil {
		t.Fatalf("Matomo 5.0.2's success answer taken as failure: %v", err)
	}
}

func TestInvalidateAnswers(t *testing.T) {
	for _, tc := range []struct {
		answer string
		want   string // "" = success
	}{
		{`["Success. The following dates were invalidated successfully: 2026-12-03"]`, ""},
		{`{"result":"success","message":"ok"}`, ""},
		{`{"result":"error","message":"no access"}`, "invalidateArchivedReports refused: no access"},
		{`<html>login</html>`, "invalidateArchivedReports: the answer is not JSON"},
	} {
		err := invalidateAnswer([]byte(tc.answer), func(s string) string { return s })
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("answer %s: error %q, want %q", tc.answer, got, tc.want)
		}
	}
}
