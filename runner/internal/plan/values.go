package plan

import (
	"crypto/rand"
	"encoding/binary"
	"time"

	"github.com/trafficinator/trafficinator/scenario"
)

// Duration prints as Go duration text ("1m30s") in JSON and tables.
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
	return []byte(scenario.Redacted), nil
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
func (u URL) String() string { return scenario.RedactURL(string(u)) }

// GoString implements fmt.GoStringer for %#v.
func (u URL) GoString() string { return u.String() }

// Reveal returns the URL with its credentials, for the one place that
// sends to it.
func (u URL) Reveal() string { return string(u) }

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 1 // fits an int64 for YAML
}
