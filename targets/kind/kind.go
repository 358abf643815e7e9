package kind

import (
	"context"
	"time"
)

// Kind is one kind of target (matomo, sink, file, ...). It is stateless:
// a registry maps its name to it (targets/registry.go), and Open makes the
// stateful target of one run.
type Kind interface {
	// Check returns what is wrong with s for this kind, beyond what the
	// JSON Schema already rules out. Each Problem names its field, so that
	// the caller can point at its line and column.
	Check(s *Settings) []Problem
	// Endpoint is where the target's hits go, for people (the plan's
	// endpoint column); it never contains a secret.
	Endpoint(s *Settings) string
	// Open readies a target for a run: a kind with a server of its own
	// starts it here. The caller closes what Open returns.
	Open(s *Settings, env Env) (Target, error)
}

// Env is what a run tells a kind besides the target's own settings.
type Env struct {
	// Timezone is the scenario's IANA timezone (a local server's site).
	Timezone string
	// MaxConns bounds the target's connection pool.
	MaxConns int
}

// Target is an opened target: it encodes the hits of a visit into its own
// wire format and sends them.
type Target interface {
	Encoder
	Sender
	// Preflight checks the target before any traffic, without recording
	// anything.
	Preflight(ctx context.Context) Preflight
	// Endpoint is where the hits go, for people; never a secret.
	Endpoint() string
	// Close releases the target (connections, files, servers).
	Close() error
}

// Visit is a visit as an Encoder sees it. The visit model implements it
// with methods (not fields), so that passing it costs no copy.
type Visit interface {
	// Number is the visit's number in the run.
	Number() uint64
	// Agent is the visitor's user agent.
	Agent() string
	// HitCount is how many hits the visit has.
	HitCount() int
	// HitAt returns hit i, 0 <= i < HitCount().
	HitAt(i int) Hit
}

// Encoder turns the hits of a visit into the payloads its Sender sends.
type Encoder interface {
	// Encode writes the payload of hit i of v into payloads[i]
	// (len(payloads) == v.HitCount()). The payloads may share memory that
	// release (when not nil) hands to the next visit: nothing may read
	// them after calling it.
	Encode(v Visit, payloads []string) (release func())
}

// Sender sends encoded hits. It is safe for concurrent use.
type Sender interface {
	// SendOne sends one hit; ua is the visitor's user agent.
	SendOne(ctx context.Context, payload, ua string) Result
	// SendBulk sends hits in one request.
	SendBulk(ctx context.Context, payloads []string, ua string) Result
}

// Preflight is what a target's preflight found out.
type Preflight struct {
	Reachable bool          // the target can take hits
	Status    int           // HTTP status of the check, 0 without HTTP or on a transport error
	Latency   time.Duration // of the check
	// Token is none (no token_auth), ok, refused or unchecked.
	Token   string
	Message string // one line for people; never a secret
}

// Problem is one thing wrong with a target's settings.
type Problem struct {
	// Field is the setting's key ("url"); "" means the target itself.
	Field string
	// Key points at the field's key rather than at its value.
	Key           bool
	Message, Hint string
}

// Archives is implemented by the targets whose reports are built from
// archives, which the days a backfill sent to must invalidate (Matomo).
type Archives interface {
	// InvalidateArchives invalidates the archived reports of days
	// (YYYY-MM-DD); skipped, when not "", says why it did nothing.
	InvalidateArchives(ctx context.Context, days []string) (skipped string, err error)
}

// Recorder is implemented by the targets that record what they receive
// (the in-process sink): the report shows what they recorded beside what
// was sent.
type Recorder interface {
	// RecordedStats returns what the target recorded, as a value that
	// encodes to JSON.
	RecordedStats() any
}
