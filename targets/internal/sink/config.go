package sink

import (
	"fmt"
	"io"
	"net/url"
	"time"
)

// DefaultMaxBody is the request body limit when Config.MaxBody is 0.
const DefaultMaxBody = 32 << 20

// MaxMaxBody bounds Config.MaxBody: a bulk body is held in memory, with
// its entries, while it is processed.
const MaxMaxBody = 1 << 30

// Config describes the sites a sink knows and how strict it is.
type Config struct {
	// Sites the sink accepts hits for. Empty means one site, ID 1, UTC,
	// without tokens.
	Sites []Site

	// Strict answers 400 to any hit that breaks a rule (docs/sink.md). By
	// default rule violations are only counted, and a hit gets 400 only
	// where a real Matomo would answer 400.
	Strict bool

	// MaxBody is the largest request body accepted; larger bodies get 413.
	// 0 means DefaultMaxBody; at most MaxMaxBody.
	MaxBody int64

	// Log, when set, receives one JSON line per hit (see docs/sink.md), with
	// token_auth redacted. Writes are serialised; leave it nil when speed
	// matters.
	Log io.Writer

	// OnHit, when set, is called for every hit answered as a success
	// (recorded or silently excluded), with its parameters as received,
	// token_auth included: the hook is for in-process tests and must not
	// print them. It runs on the request goroutine, so it must be safe for
	// concurrent use and quick.
	OnHit func(site int, params url.Values)

	// Faults, when Faults.Fault is set, make the sink misbehave on chosen
	// tracking requests (slow answers, resets, 429, 503) to test clients;
	// see docs/sink.md. The zero value answers every request as Matomo.
	Faults Faults

	// Now is the server clock (default time.Now). Tests set it to check cdt
	// handling.
	Now func() time.Time

	// ReadHeaderTimeout bounds the reading of a request's headers,
	// BodyTimeout that of its body, and IdleTimeout how long a kept-alive
	// connection may wait for its next request. 0 means the defaults: 10s,
	// 60s and 2m. A body not read in time gets 408 and its connection is
	// closed. They apply to a sink run by Start.
	ReadHeaderTimeout, BodyTimeout, IdleTimeout time.Duration

	// MaxBodyMemory bounds the bytes of all request bodies held at once
	// (each is held twice: the read buffer and its string). A request that
	// would go beyond it gets 503 with Retry-After: 1, and nothing of it is
	// recorded. 0 means DefaultMaxBodyMemory or twice MaxBody, whichever is
	// larger; less than twice MaxBody is an error.
	MaxBodyMemory int64

	// MaxLiveVisits bounds the visits whose actions Live.getLastVisitsDetails
	// lists and Live.getCounters counts; the oldest are forgotten first.
	// 0 means DefaultMaxLiveVisits; negative keeps no action lists (the
	// visits are still kept, for the daily figures).
	MaxLiveVisits int

	// DropVisits is a share (0 to 1) of visits the sink silently does not
	// record, every hit of them, while answering them as a success; and
	// MergeVisits a share of new visits it records into the site's most
	// recent open visit of another visitor. Which visits is decided by a
	// hash of the visitor id and the visit's first hit time, seeded with
	// MisbehaveSeed (misbehave.go). They make a misbehaving Matomo for
	// tests and demos of delivery verification.
	DropVisits, MergeVisits float64
	MisbehaveSeed           uint64

	// MaxRate is the capacity, in tracking requests a second, the sink
	// takes (a token bucket holding one second of them): a request above
	// it gets 503 with Retry-After: 1 and nothing of it is recorded. 0
	// means no limit. Latency is the answer delay of an idle sink; it
	// grows as the arrival rate approaches MaxRate (LatencyAt). Together
	// they make a Matomo of a known capacity, to test rps: auto
	// (capacity.go).
	MaxRate float64
	Latency time.Duration
}

// Site is one Matomo site of the sink.
type Site struct {
	ID int
	// Tokens are the token_auth values with write access to this site.
	Tokens []string
	// Timezone is an IANA zone name for the per-day counts and the midnight
	// end of visits; "" means UTC.
	Timezone string
	// Goals are the goal ids that exist (idgoal > 0); a conversion for any
	// other goal is answered 400, as Matomo does.
	Goals []int
}

// site is the resolved form of Site.
type site struct {
	id     int
	tokens []string
	tzName string
	loc    *time.Location
	goals  map[int]bool
}

func resolveSites(in []Site) ([]site, error) {
	if len(in) == 0 {
		in = []Site{{ID: 1}}
	}
	out := make([]site, 0, len(in))
	seen := map[int]bool{}
	for _, s := range in {
		if s.ID <= 0 {
			return nil, fmt.Errorf("sink: site id %d: must be a positive integer", s.ID)
		}
		if seen[s.ID] {
			return nil, fmt.Errorf("sink: site %d is configured twice", s.ID)
		}
		seen[s.ID] = true
		tz := s.Timezone
		if tz == "" {
			tz = "UTC"
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return nil, fmt.Errorf("sink: site %d: unknown timezone %q", s.ID, s.Timezone)
		}
		r := site{id: s.ID, tzName: tz, loc: loc, goals: map[int]bool{}}
		for _, t := range s.Tokens {
			if t == "" {
				return nil, fmt.Errorf("sink: site %d: empty token", s.ID)
			}
			r.tokens = append(r.tokens, t)
		}
		for _, g := range s.Goals {
			if g <= 0 {
				return nil, fmt.Errorf("sink: site %d: goal id %d must be positive", s.ID, g)
			}
			r.goals[g] = true
		}
		out = append(out, r)
	}
	return out, nil
}
