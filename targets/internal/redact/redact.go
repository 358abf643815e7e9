// Package redact hides a secret in texts that may quote it: error
// messages, answers a server echoed, logs. A token can appear raw or in
// any encoding a request or answer gives it (query, path, JSON, HTML), so
// every spelling is replaced.
package redact

import (
	"encoding/json"
	"html"
	"net/url"
	"strings"
)

// Placeholder replaces a secret.
const Placeholder = "[redacted]"

// Redactor replaces every spelling of one secret. The zero value replaces
// nothing.
type Redactor struct{ r *strings.Replacer }

// New returns a Redactor of secret ("" gives the zero Redactor).
func New(secret string) Redactor {
	if secret == "" {
		return Redactor{}
	}
	forms := []string{secret}
	j, _ := json.Marshal(secret)
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret), strings.Trim(string(j), `"`), html.EscapeString(secret)} {
		if f != secret && f != "" {
			forms = append(forms, f)
		}
	}
	args := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		args = append(args, f, Placeholder)
	}
	return Redactor{strings.NewReplacer(args...)}
}

// Scrub returns s with every spelling of the secret replaced.
func (r Redactor) Scrub(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}
