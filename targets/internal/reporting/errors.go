package reporting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// ErrorKind classes a failed call, so that callers can tell a token to fix
// from a server to wait for.
type ErrorKind string

// The kinds of Error.
const (
	// KindAuth: Matomo refused the token or its access to the site (an
	// HTML error page, or a JSON error about the token or access).
	KindAuth ErrorKind = "auth"
	// KindHTTP: no answer (transport error, timeout, canceled context) or
	// an HTTP status other than 200.
	KindHTTP ErrorKind = "http"
	// KindDecode: an answer of HTTP 200 whose shape is not the method's.
	KindDecode ErrorKind = "decode"
	// KindAPI: Matomo answered {"result":"error"} for another reason (an
	// unknown method, a bad parameter, a disabled plugin).
	KindAPI ErrorKind = "api"
)

// Error is a failed Reporting API call. Its text names the method and the
// endpoint without credentials and never contains the token, even when
// Matomo's own message repeats it: it is computed once, scrubbed.
type Error struct {
	Kind   ErrorKind
	Status int    // HTTP status; 0 when no answer came
	Method string // e.g. VisitsSummary.get
	// Message is Matomo's message or what went wrong, without the token.
	Message string
	text    string
	cause   error // nil when its text contained the token
}

func (e *Error) Error() string { return e.text }

// Unwrap gives errors.Is access to the transport error (context.Canceled,
// os.ErrDeadlineExceeded, ...).
func (e *Error) Unwrap() error { return e.cause }

func (c *Client) newError(k ErrorKind, status int, method, message string, cause error) *Error {
	if cause != nil {
		message += ": " + cause.Error()
	}
	message = shorten(c.red.Scrub(message))
	what := map[ErrorKind]string{
		KindAuth: "Matomo refused the token", KindHTTP: "no usable answer",
		KindDecode: "unexpected answer", KindAPI: "Matomo answered an error",
	}[k]
	e := &Error{Kind: k, Status: status, Method: method, Message: message,
		text: fmt.Sprintf("reporting API %s at %s: %s: %s", method, c.display, what, message)}
	if cause != nil && c.red.Scrub(cause.Error()) == cause.Error() {
		e.cause = cause
	}
	return e
}

// answerErr is an error answer recognized in a body.
type answerErr struct {
	Kind    ErrorKind
	Message string
}

// answerError recognizes Matomo's error answers: an HTML page (Matomo
// answers a wrong token with one whatever format says) or the JSON
// {"result":"error","message":...}. It returns nil for anything else.
func answerError(body []byte) *answerErr {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		msg := htmlMessage(trimmed)
		if msg == "" {
			return &answerErr{KindAPI, "an HTML page instead of JSON (is the URL Matomo's index.php?)"}
		}
		return &answerErr{kindOf(msg), msg}
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil
	}
	var a struct {
		Result  string `json:"result"`
		Message string `json:"message"`
	}
	if json.Unmarshal(trimmed, &a) != nil || a.Result != "error" {
		return nil
	}
	msg := oneLine(a.Message)
	if msg == "" {
		msg = "no message"
	}
	return &answerErr{kindOf(msg), msg}
}

var (
	// Matomo's error page puts the message in <div class="content"><h2>.
	h2Re    = regexp.MustCompile(`(?is)<h2[^>]*>(.*?)</h2>`)
	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// htmlMessage extracts the message of Matomo's HTML error page: its
// first <h2>, else its <title>, as one line of text.
func htmlMessage(page []byte) string {
	for _, re := range []*regexp.Regexp{h2Re, titleRe} {
		if m := re.FindSubmatch(page); m != nil {
			if s := oneLine(html.UnescapeString(tagRe.ReplaceAllString(string(m[1]), " "))); s != "" {
				return s
			}
		}
	}
	return ""
}

// kindOf tells an access problem from other API errors by Matomo's
// wording: "Unable to authenticate with the provided token", "You can't
// access this resource as it requires 'view' access".
func kindOf(msg string) ErrorKind {
	m := strings.ToLower(msg)
	for _, w := range []string{"token", "authenticat", "access", "login"} {
		if strings.Contains(m, w) {
			return KindAuth
		}
	}
	return KindAPI
}

// oneLine joins a server-provided text into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// shorten cuts a message to 300 bytes; it runs after scrubbing, so that
// no cut can split the token out of the scrubber's sight.
func shorten(s string) string {
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

// ErrorAnswer recognizes one of Matomo's error answers in body (its HTML
// error page, or {"result":"error"}): its kind and message, ok false for
// anything else. The matomo kind's preflight reads its token check with it.
func ErrorAnswer(body []byte) (k ErrorKind, message string, ok bool) {
	if a := answerError(body); a != nil {
		return a.Kind, a.Message, true
	}
	return "", "", false
}
