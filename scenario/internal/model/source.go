package model

import "github.com/trafficinator/trafficinator/scenario/internal/diag"

// Source is what the loader knows about where a scenario came from: the file,
// its bytes (for quoting lines in diagnostics), the position of every field,
// and the secret values that must never be shown.
type Source struct {
	File string
	// Bytes is the file's text for quoting lines in diagnostics, with every
	// secret (a token_auth written in the file) replaced by [redacted].
	Bytes []byte
	// Digest is "sha256:<hex>" of the file as read, before redaction.
	Digest  string
	Index   *Index
	Secrets []string
	// Unset lists the variables that stand for placeholders
	// (Options.DeferSecrets): a scenario with any is for checking, and
	// must not be applied.
	Unset []UnsetVar
}

// Pos returns the position of the value at a JSON pointer such as
// /policies/0/when, or of its key when key is true. Unknown paths give the
// zero position.
func (s *Source) Pos(pointer string, key bool) diag.Pos {
	if s == nil || s.Index == nil {
		return diag.Pos{}
	}
	return s.Index.Pos(pointer, key)
}
