package reporting

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

const testToken = "s3cr3t-t0ken+/="

// apiFile reads a file of testdata/matomo-api.
func apiFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "matomo-api", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileOf names the testdata file answering a request: Goals.get has one
// per idGoal.
func fileOf(form url.Values) string {
	m := form.Get("method")
	if m == "Goals.get" {
		return m + "." + form.Get("idGoal") + ".json"
	}
	return m + ".json"
}

// fakeAPI is a loopback Matomo that answers each method with its
// testdata file (or with answer, when set) and records the requests.
type fakeAPI struct {
	srv    *httptest.Server
	answer func(form url.Values) (status int, body []byte)

	mu       sync.Mutex
	forms    []url.Values
	rawQuery []string
	paths    []string
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		f.mu.Lock()
		f.forms = append(f.forms, form)
		f.rawQuery = append(f.rawQuery, r.URL.RawQuery)
		f.paths = append(f.paths, r.URL.Path)
		answer := f.answer
		f.mu.Unlock()
		if r.Method != http.MethodPost {
			http.Error(w, "not a POST", http.StatusMethodNotAllowed)
			return
		}
		if answer != nil {
			status, b := answer(form)
			w.WriteHeader(status)
			_, _ = w.Write(b)
			return
		}
		b, err := os.ReadFile(filepath.Join("testdata", "matomo-api", fileOf(form)))
		if err != nil {
			_, _ = io.WriteString(w, `{"result":"error","message":"The method '`+form.Get("method")+`' does not exist or is not available in the module 'API'."}`)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(b)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) client(t *testing.T, site int) *Client {
	t.Helper()
	c, err := New(Config{URL: f.srv.URL + "/matomo/index.php", SiteID: site, Token: testToken, HTTP: f.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fakeAPI) requests() (forms []url.Values, rawQueries, paths []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.forms, f.rawQuery, f.paths
}

func sprintAll(v any) string {
	return fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
}
