package plan

import (
	"crypto/rand"
	"encoding/binary"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Duration prints as Go duration text ("1m30s") in JSON and tables.
type Duration = kind.Duration

// Secret holds a value that is never shown: JSON and text render it as
// [redacted] (or "" when empty), and fmt's %v as well.
type Secret = kind.Secret

// URL is an endpoint that may carry credentials (https://user:pass@host/):
// JSON, text and fmt show it with them replaced by [redacted].
type URL = kind.URL

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 1 // fits an int64 for YAML
}
