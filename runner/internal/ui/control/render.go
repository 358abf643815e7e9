package control

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"

	"github.com/trafficinator/trafficinator/runner/internal/ui/web"
)

//go:embed templates
var templates embed.FS

//go:embed static
var static embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Local().Format("2006-01-02 15:04:05")
	},
}).ParseFS(templates, "templates/*.html"))

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
	h, err := web.Assets(static, "static")
	if err != nil {
		panic(err) // the embedded folder exists: compiled in
	}
	return http.StripPrefix("/static/", h)
}
