package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// CookieName is the cookie that carries the token once a browser has
// shown it (?token= on a GET).
const CookieName = "trafficinator_ui"

// CSRFHeader is the header a page's script sends its CSRF token in; a
// form sends the field CSRFField instead.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf"
)

// ContentSecurityPolicy is sent with every answer: scripts, styles and
// connections from the page's own origin only, nothing inline, no frames
// from elsewhere.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"

// maxFormBytes bounds the body of a POST the guard reads for its csrf field.
const maxFormBytes = 64 << 10

// Guard decides who may ask a page for what. Wrap puts it in front of a
// page's handler; Action marks the handlers that change state.
type Guard struct {
	token [sha256.Size]byte // hash of the token: compared in constant time, whatever its length
	auth  bool              // a token is required
	csrf  string
}

// NewGuard returns a guard with a fresh CSRF secret. token "" means no
// token is asked (loopback only: CheckBind is the caller's first step).
func NewGuard(token string) (*Guard, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return &Guard{token: sha256.Sum256([]byte(token)), auth: token != "", csrf: base64.RawURLEncoding.EncodeToString(b)}, nil
}

// CSRF is the secret each page carries in <meta name="csrf-token">.
func (g *Guard) CSRF() string { return g.csrf }

// Wrap answers every request with the security headers, then refuses
// (401) a request without the token when one is set, and (403) a POST
// from another origin or without the CSRF token. A GET with ?token=T sets
// the cookie and is sent back to the same address without the token.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w.Header())
		if !g.auth && !loopbackHostHeader(r.Host) {
			// Without a token the page is for this machine only; a Host
			// naming another machine is a DNS rebinding attempt.
			http.Error(w, "forbidden: this page answers only to a loopback host name", http.StatusForbidden)
			return
		}
		if g.auth {
			if t, ok := queryToken(r); ok && r.Method == http.MethodGet {
				g.acceptQueryToken(w, r, t)
				return
			}
			if !g.validToken(requestToken(r)) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="trafficinator"`)
				http.Error(w, "unauthorized: open the page with ?token=TOKEN once, or send Authorization: Bearer TOKEN", http.StatusUnauthorized)
				return
			}
		}
		if r.Method == http.MethodPost {
			if !sameOrigin(r) {
				http.Error(w, "forbidden: cross-origin request", http.StatusForbidden)
				return
			}
			if !g.validCSRF(r) {
				http.Error(w, "forbidden: missing or wrong CSRF token", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Action marks a handler that changes state: only POST reaches it (405
// otherwise). Behind Wrap, that POST has passed the origin and CSRF checks.
func Action(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed: use POST", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func setHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
}

// equalSecret compares a secret in constant time: both sides are hashed
// first, so neither the content nor the length of the expected secret
// shows in the time taken.
func equalSecret(want [sha256.Size]byte, got string) bool {
	h := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(want[:], h[:]) == 1
}

func (g *Guard) validToken(t string) bool { return t != "" && equalSecret(g.token, t) }

func (g *Guard) validCSRF(r *http.Request) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" && isForm(r) {
		r.Body = http.MaxBytesReader(nil, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			return false
		}
		got = r.PostForm.Get(CSRFField)
	}
	return got != "" && equalSecret(sha256.Sum256([]byte(g.csrf)), got)
}

func isForm(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")
}

// requestToken is the token a request carries: Authorization: Bearer,
// else the cookie.
func requestToken(r *http.Request) string {
	if a, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(a)
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value
	}
	return ""
}

func queryToken(r *http.Request) (string, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || !q.Has("token") {
		return "", false
	}
	return q.Get("token"), true
}

// acceptQueryToken turns ?token=T into the cookie and sends the browser to
// the same address without it, so the token leaves the address bar and
// the history. The Location is relative, so it holds under a path prefix.
func (g *Guard) acceptQueryToken(w http.ResponseWriter, r *http.Request, t string) {
	if !g.validToken(t) {
		http.Error(w, "unauthorized: wrong token", http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	q, _ := url.ParseQuery(r.URL.RawQuery) // parsed once already in queryToken
	q.Del("token")
	loc := "./"
	if p := r.URL.Path; !strings.HasSuffix(p, "/") {
		loc = "./" + p[strings.LastIndex(p, "/")+1:]
	}
	if len(q) > 0 {
		loc += "?" + q.Encode()
	}
	// Not http.Redirect: it would make the Location absolute.
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusSeeOther)
}

// sameOrigin reports whether a POST comes from the page's own origin: its
// Origin header names the host it was sent to; without Origin (an old
// browser, or a tool such as curl), Sec-Fetch-Site must not say it came
// from another site.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "null" {
		// Referrer-Policy: no-referrer makes a browser send "Origin: null"
		// with the page's own POSTs (a form, a fetch). A sandboxed frame or
		// another site sends it too, but then Sec-Fetch-Site, which a page
		// cannot set, is not same-origin.
		return r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	if o == "" {
		s := r.Header.Get("Sec-Fetch-Site")
		return s != "cross-site" && s != "same-site"
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// loopbackHostHeader reports whether a Host header names this machine.
func loopbackHostHeader(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return IsLoopbackHost(host)
}
