package control

import (
	"bytes"
	"html"
	"io"
	"net/http"
	"net/http/httputil"
	"regexp"
	"strconv"
	"strings"
)

// csrfMeta is the live page's CSRF token in its HTML.
var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="[^"]*"`)

// live proxies the run's live page under /live/. The Guard has already
// checked this server's token, CSRF token and origin; the child listens on
// loopback with its own random token, which the proxy adds. The page's
// CSRF token is replaced by this server's, and its one state-changing
// request, POST stop, is answered here (one SIGINT, as the Stop button of
// the control page), so the child's CSRF token never reaches a browser.
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	c := s.current()
	if c == nil || !c.running() {
		s.fail(w, r, http.StatusServiceUnavailable, "no run is in progress: start a scenario on the control page")
		return
	}
	if r.Method == http.MethodPost {
		if r.URL.Path != "/live/stop" {
			http.NotFound(w, r)
			return
		}
		c.stop()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	target := c.liveURL()
	if target == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "the live page of the run is starting: reload in a moment")
		return
	}
	csrf := s.cfg.CSRF(r)
	origin := target.Scheme + "://" + target.Host
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.URL.Path = "/" + strings.TrimPrefix(r.URL.Path, "/live/")
			pr.Out.URL.RawPath = ""
			pr.Out.Host = target.Host
			pr.Out.Header.Del("Cookie")
			pr.Out.Header.Del("X-CSRF-Token")
			if pr.Out.Header.Get("Origin") != "" {
				pr.Out.Header.Set("Origin", origin)
			}
			pr.Out.Header.Set("Authorization", "Bearer "+c.token)
			// The page's HTML is rewritten below: ask for it unencoded.
			pr.Out.Header.Del("Accept-Encoding")
		},
		// Server-Sent Events: every event goes out as it comes.
		FlushInterval: -1,
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Del("Set-Cookie")
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				return nil
			}
			body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
			_ = resp.Body.Close()
			if err != nil {
				return err
			}
			body = csrfMeta.ReplaceAllFunc(body, func(m []byte) []byte {
				return []byte(`<meta name="csrf-token" content="` + html.EscapeString(csrf) + `"`)
			})
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, _ error) {
			s.fail(w, r, http.StatusBadGateway, "the live page of the run does not answer (has the run ended?)")
		},
	}
	proxy.ServeHTTP(w, r)
}
