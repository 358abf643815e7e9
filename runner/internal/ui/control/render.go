package control

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed assets
var assets embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Local().Format("2006-01-02 15:04:05")
	},
}).ParseFS(assets, "assets/*.html"))

// trusted marks HTML that this package's renderers wrote (escaped text
// and tables): the plan, the preflight, the diff.
func trusted(s string) template.HTML { return template.HTML(s) } //nolint:gosec // written by tables.HTML, which escapes

// render writes the page name with data; every page carries the CSRF
// token its forms post back.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, data map[string]any) {
	data["CSRF"] = s.cfg.CSRF(r)
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "cannot render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}

// fail answers a refused request with its status and a page that says why.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.render(w, r, code, "error", map[string]any{"Title": http.StatusText(code), "Message": msg})
}

// staticHandler serves the stylesheet and the script (nothing inline: the
// CSP forbids it).
func staticHandler() http.Handler {
	sub, _ := fs.Sub(assets, "assets")
	return http.StripPrefix("/static/", http.FileServer(http.FS(assetsOnly{sub})))
}

// assetsOnly hides the templates from the static file server.
type assetsOnly struct{ fs.FS }

func (o assetsOnly) Open(name string) (fs.File, error) {
	if !strings.HasSuffix(name, ".css") && !strings.HasSuffix(name, ".js") {
		return nil, fs.ErrNotExist
	}
	return o.FS.Open(name)
}
