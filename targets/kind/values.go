package kind

import (
	"strings"
	"time"
)

// Redacted replaces a secret wherever settings are shown.
const Redacted = "[redacted]"

// Duration is a time.Duration that JSON shows as "10s".
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
}

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Secret holds a value that is never shown: JSON and text render it as
// [redacted] (or "" when empty), and fmt's %v as well.
type Secret string

// MarshalText implements encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	return []byte(Redacted), nil
}

// String implements fmt.Stringer so that %v and %s never print the value.
func (s Secret) String() string {
	b, _ := s.MarshalText()
	return string(b)
}

// GoString implements fmt.GoStringer for %#v.
func (s Secret) GoString() string { return s.String() }

// Reveal returns the value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// URL is an endpoint that may carry credentials (https://user:pass@host/):
// JSON, text and fmt show it with them replaced by [redacted], as Secret
// does for a whole value.
type URL string

// MarshalText implements encoding.TextMarshaler.
func (u URL) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// String implements fmt.Stringer so that %v and %s never print credentials.
func (u URL) String() string { return redactUserinfo(string(u)) }

// GoString implements fmt.GoStringer for %#v.
func (u URL) GoString() string { return u.String() }

// Reveal returns the URL with its credentials, for the one place that
// sends to it.
func (u URL) Reveal() string { return string(u) }

// redactUserinfo replaces the user information of a URL (the text between
// "scheme://" and the last "@" of the authority) with Redacted. It is the
// rule of scenario/diag.RedactURL, which this package may not import
// (targets/ imports nothing from scenario/); FuzzRedactMatchesDiag in
// runner/plan keeps the two equal.
func redactUserinfo(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	start := i + 3
	authority := raw[start:]
	if j := strings.IndexAny(authority, "/?#"); j >= 0 {
		authority = authority[:j]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return raw
	}
	return raw[:start] + Redacted + raw[start+at:]
}
