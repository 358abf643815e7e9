package model

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trafficinator/trafficinator/scenario/internal/diag"
)

// UnsetVar is a variable that a scenario needs where a secret can be, and
// that was unset when it was loaded with Options.DeferSecrets: validate
// and plan go on with a placeholder, apply refuses to start.
type UnsetVar struct {
	Name string
	// Message is the message of ${NAME:?message}, "" for ${NAME}.
	Message string
	// File, Line and Column are the position of the reference's $.
	File         string
	Line, Column int
	// Path is the field, as a JSON pointer (/targets/0/token_auth).
	Path string
}

// NotSet says that the variable is not set, with the message of
// ${NAME:?message} when it has one.
func (u UnsetVar) NotSet() string {
	if u.Message != "" {
		return "variable " + u.Name + " is not set: " + u.Message
	}
	return "variable " + u.Name + " is not set"
}

// NeededByApply is the message of the note an unset secret variable gets.
func (u UnsetVar) NeededByApply() string { return u.NotSet() + " (needed by apply)" }

// placeholderPrefix starts the value an unset secret variable stands for
// while a scenario is checked: letters, digits, - and _ only, so that it
// is a valid token, header value and URL user or password.
const placeholderPrefix = "unset-"

// deferAt decides about an unset variable referenced at offset off of the
// scalar n at path: in a place a secret can be, it becomes a note and a
// placeholder; anywhere else (rate: ${RATE}) it stays an error.
func (ip *interpolation) deferAt(n *yaml.Node, path []string, name, msg string, off int) (string, bool) {
	if !secretPlace(path, n.Value, off) {
		return "", false
	}
	pos := scalarOffsetPos(ip.data, n, off)
	pointer := "/" + strings.Join(escapeAll(path), "/")
	u := UnsetVar{Name: name, Message: msg, File: ip.file, Line: pos.Line, Column: pos.Column, Path: pointer}
	ip.unset = append(ip.unset, u)
	ip.diags = append(ip.diags, diag.Diagnostic{
		File: ip.file, Severity: diag.Note, Path: pointer, Message: u.NeededByApply(),
		Hint: "apply and verify need it: export " + name + " or pass --env-file",
	}.At(pos))
	return placeholderPrefix + name, true
}

func escapeAll(path []string) []string {
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = escapePointer(p)
	}
	return out
}

// secretPlace reports whether the reference at offset off of text, the
// value at path, is where a secret can be: a target's token_auth,
// verify_token or header value, or the user or password of its URLs.
func secretPlace(path []string, text string, off int) bool {
	if len(path) < 3 || path[0] != "targets" {
		return false
	}
	switch field := path[2]; {
	case len(path) == 3 && (field == "token_auth" || field == "verify_token"):
		return true
	case len(path) == 4 && field == "headers":
		return true
	case len(path) == 3 && (field == "url" || field == "api_url" || field == "site_url"):
		return inUserinfo(text, off)
	}
	return false
}

// inUserinfo reports whether offset off of a URL template falls in its
// user:password@ part.
func inUserinfo(text string, off int) bool {
	scheme := strings.Index(text, "://")
	if scheme < 0 || off < scheme+3 {
		return false
	}
	authority := text[scheme+3:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndexByte(authority, '@')
	return at >= 0 && off < scheme+3+at
}
