package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestAssets(t *testing.T) {
	fsys := fstest.MapFS{
		"static/app.js":  {Data: []byte("let x = 1;")},
		"static/app.css": {Data: []byte("body{}")},
		"secret.txt":     {Data: []byte("outside")},
	}
	h, err := Assets(fsys, "static")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]struct {
		code int
		ct   string
	}{
		"/app.js": {200, "text/javascript; charset=utf-8"}, "/app.css": {200, "text/css; charset=utf-8"},
		"/": {404, ""}, "/../secret.txt": {404, ""}, "/nope.js": {404, ""},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "http://x"+path, nil))
		if w.Code != want.code || (want.ct != "" && w.Header().Get("Content-Type") != want.ct) {
			t.Errorf("GET %s: %d %q, want %d %q", path, w.Code, w.Header().Get("Content-Type"), want.code, want.ct)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("POST", "/app.js", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", w.Code)
	}
}
