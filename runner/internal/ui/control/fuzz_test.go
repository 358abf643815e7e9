package control_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRequestPaths sends any value as the file or report a page request
// names: the answer is a refusal (400, 403, 404) or the page of a file
// that is inside its folder, never a server error, and never a file from
// outside (the outside files' names are "outside").
func FuzzRequestPaths(f *testing.F) {
	for _, seed := range []string{
		"good.yaml", "sub/nested.yaml", "../outside/escape.yaml", "link.yaml", "/etc/passwd", "sub/../good.yaml",
		"./good.yaml", "sub//nested.yaml", "%2e%2e/outside/escape.yaml", "good.yaml\x00", "sub\\..\\good.yaml",
		"", ".", "..", "a.json", "link.json", "../outside/escape.json", strings.Repeat("a/", 3000),
	} {
		f.Add(seed)
	}
	fx := newFixture(f)
	writeReport(f, filepath.Join(fx.runs, "a.json"), "sink-smoke", "run-a", 10)
	f.Fuzz(func(t *testing.T, v string) {
		q := url.QueryEscape(v)
		for _, path := range []string{"/plan?file=" + q, "/report?name=" + q, "/diff?base=" + q + "&current=a.json"} {
			resp, err := client.Get(fx.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			code, body := read(t, resp)
			switch code {
			case http.StatusOK:
				if strings.Contains(body, "outside") || strings.Contains(body, "r-out") {
					t.Errorf("GET %s served a file from outside its folder", path)
				}
			case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			default:
				t.Errorf("GET %s = %d\n%s", path, code, body)
			}
		}
	})
}
