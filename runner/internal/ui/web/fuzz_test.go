package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzGuard sends the guard any request and checks what it lets through:
// the page's handler runs only with the token, a POST only from the same
// origin with the CSRF token, and no answer repeats the token.
func FuzzGuard(f *testing.F) {
	g, err := NewGuard(testToken)
	if err != nil {
		f.Fatal(err)
	}
	csrf := g.CSRF()
	for _, s := range [][7]string{
		{"GET", "/", "", "", "", "", ""},
		{"GET", "/?token=" + testToken, "", "", "", "", ""},
		{"GET", "/live/x?b=2&token=" + testToken, "", "", "", "", ""},
		{"GET", "/?token=%zz", "", "", "", "", ""},
		{"POST", "/stop", "Bearer " + testToken, "http://127.0.0.1:8090", csrf, "", ""},
		{"POST", "/stop", "Bearer " + testToken, "http://evil.example", csrf, "", ""},
		{"POST", "/stop", "", "", "", CookieName + "=" + testToken, "csrf=" + csrf},
		{"POST", "/stop", "Bearer " + testToken, "null", "", "", "csrf=%%"},
		{"POST", "/stop?token=" + testToken, "", "", csrf, "", ""},
		{"PUT", "/stop", "Bearer " + testToken, "", csrf, "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
	}
	f.Fuzz(func(t *testing.T, method, target, auth, origin, csrfHdr, cookie, body string) {
		if !validMethod(method) || !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \t\r\n#") {
			return
		}
		r, err := http.NewRequest(method, "http://127.0.0.1:8090"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		r.Host = "127.0.0.1:8090"
		set := func(k, v string) {
			if v != "" {
				r.Header[k] = []string{v}
			}
		}
		set("Authorization", auth)
		set("Origin", origin)
		set(CSRFHeader, csrfHdr)
		set("Cookie", cookie)
		set("Content-Type", "application/x-www-form-urlencoded")
		reached := false
		h := g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if strings.Contains(w.Body.String(), testToken) || strings.Contains(w.Header().Get("Location"), testToken) {
			t.Fatalf("the answer shows the token: %d %q Location %q", w.Code, w.Body, w.Header().Get("Location"))
		}
		if w.Header().Get("Content-Security-Policy") != ContentSecurityPolicy {
			t.Fatalf("status %d without the CSP", w.Code)
		}
		if !reached {
			if w.Code != 401 && w.Code != 403 && w.Code != 303 {
				t.Fatalf("refused with status %d, want 401, 403 or 303", w.Code)
			}
			return
		}
		if requestToken(r) != testToken {
			t.Fatalf("reached the page without the token (auth %q cookie %q)", auth, cookie)
		}
		if method == http.MethodPost && (!sameOrigin(r) || (r.Header.Get(CSRFHeader) != csrf && r.PostForm.Get(CSRFField) != csrf)) {
			t.Fatalf("a POST reached the page without same origin and CSRF token (origin %q)", origin)
		}
	})
}

func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "DELETE", "HEAD":
		return true
	}
	return false
}
