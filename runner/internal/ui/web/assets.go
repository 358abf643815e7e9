package web

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Assets serves the files of fsys (an embed.FS, typically, with dir its
// folder inside it) by name, with their content type. No directory
// listings, and nothing outside dir. Behind Guard.Wrap the answers carry
// the Content-Security-Policy; the page links them with relative URLs so
// that it also works under a path prefix.
func Assets(fsys fs.FS, dir string) (http.Handler, error) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		b, err := fs.ReadFile(sub, name)
		if name == "" || err != nil {
			http.NotFound(w, r)
			return
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		if r.Method == http.MethodGet {
			_, _ = w.Write(b)
		}
	}), nil
}
