package targets

import (
	"net/url"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

// The built-in sink, for Go code that wants a Matomo-conformant tracking
// endpoint in process: tests of a tracking client, as httptest serves a
// handler. docs/sink.md describes what it checks, records and answers.
type (
	// Sink is the sink as an http.Handler (/matomo.php, /piwik.php,
	// /index.php: Matomo's Reporting API, /stats, /healthz); Stats reads
	// what it recorded.
	Sink = sink.Sink
	// SinkSite is one Matomo site of a sink: its id, tokens, timezone and
	// goals.
	SinkSite = sink.Site
	// SinkStats is what a sink received and what Matomo would have
	// recorded.
	SinkStats = sink.Stats
	// SinkMisbehaviour counts the visits a sink dropped or merged on
	// purpose (SinkOptions.DropVisits, MergeVisits).
	SinkMisbehaviour = sink.Misbehaviour
	// SinkServer is a sink served on a free port of 127.0.0.1: URL is its
	// tracking URL and ReportingURL its Reporting API (index.php);
	// Recorded, Duplicates and DuplicateOrders tell what it
	// accepted; Down, Up and DownFor refuse connections for a while;
	// Requests and Faulted count requests carrying hits and faults
	// injected; Close stops it.
	SinkServer = sink.Server
	// SinkFaults say which tracking requests carrying hits a sink faults
	// (Fault, see Always and FirstN), how long a SlowAnswer waits (Delay,
	// default 2s) and the Retry-After of Throttle and Unavailable answers.
	SinkFaults = sink.Faults
	// Fault is what a sink does with one tracking request carrying hits.
	Fault = sink.Fault
)

// The faults a sink can inject.
const (
	// Healthy answers as Matomo would.
	Healthy = sink.Healthy
	// SlowAnswer records the hits, then waits SinkFaults.Delay before
	// answering: a client with a shorter timeout gives up on hits Matomo
	// recorded.
	SlowAnswer = sink.SlowAnswer
	// ResetAfterRead records the hits, then resets the connection.
	ResetAfterRead = sink.ResetAfterRead
	// Throttle answers 429 Too Many Requests and records nothing.
	Throttle = sink.Throttle
	// Unavailable answers 503 Service Unavailable and records nothing.
	Unavailable = sink.Unavailable
)

// Always faults every request carrying hits with f.
func Always(f Fault) func(int) Fault { return sink.Always(f) }

// FirstN faults the first n requests carrying hits with f and serves the
// rest.
func FirstN(n int, f Fault) func(int) Fault { return sink.FirstN(n, f) }

// SinkOptions say how to make a sink. The zero value is one site, id 1,
// in UTC, without tokens, lenient, without faults.
type SinkOptions struct {
	// Sites the sink accepts hits for; empty means site 1.
	Sites []SinkSite
	// Strict answers 400 to any hit that breaks a rule, not only where
	// Matomo would.
	Strict bool
	// Faults make the sink misbehave on chosen requests; the zero value
	// injects none.
	Faults SinkFaults
	// OnHit, when set, is called with every hit the sink accepted (its
	// site and parameters), from the goroutine serving the request.
	OnHit func(site int, params url.Values)
	// DropVisits is a share (0 to 1) of visits the sink silently does not
	// record, every hit of them, while answering them as a success.
	DropVisits float64
	// MergeVisits is a share (0 to 1) of new visits the sink records into
	// the site's most recent open visit of another visitor.
	MergeVisits float64
	// MisbehaveSeed seeds the hash that picks the dropped and merged
	// visits (by visitor id and the time of the visit's first hit).
	MisbehaveSeed uint64
	// MaxLiveVisits bounds the visits the Reporting API's Live methods
	// list: 0 means DefaultMaxLiveVisits; negative lists no actions.
	MaxLiveVisits int
	// MaxRate is the sink's capacity in tracking requests a second: above
	// it, 503 with Retry-After and nothing recorded; 0 means no limit.
	// Latency is the answer delay of an idle sink, growing as the arrival
	// rate nears MaxRate (SinkLatencyAt). They stand in for a Matomo of a
	// known capacity.
	MaxRate float64
	Latency time.Duration
}

// SinkLatencyAt is the sink's answer delay at load times its capacity:
// base/(1-load), capped at 20 × base.
func SinkLatencyAt(base time.Duration, load float64) time.Duration {
	return sink.LatencyAt(base, load)
}

func (o SinkOptions) config() sink.Config {
	return sink.Config{Sites: o.Sites, Strict: o.Strict, Faults: o.Faults, OnHit: o.OnHit,
		DropVisits: o.DropVisits, MergeVisits: o.MergeVisits, MisbehaveSeed: o.MisbehaveSeed, MaxLiveVisits: o.MaxLiveVisits,
		MaxRate: o.MaxRate, Latency: o.Latency}
}

// DefaultMaxLiveVisits is how many visits a sink keeps for the Live
// methods of its Reporting API unless told otherwise.
const DefaultMaxLiveVisits = sink.DefaultMaxLiveVisits

// NewSink returns a sink to serve as you like (httptest.NewServer, a mux).
// It fails for an invalid site list.
func NewSink(o SinkOptions) (*Sink, error) { return sink.New(o.config()) }

// StartSink serves a new sink on a free port of 127.0.0.1 until Close. It
// keeps every hit it accepted, for Recorded: meant for tests, not for
// runs of millions of hits.
func StartSink(o SinkOptions) (*SinkServer, error) { return sink.StartServer(o.config()) }

// DuplicateHits lists the hits that occur more than once in hits (as
// SinkServer.Recorded returns them): a hit recorded twice.
func DuplicateHits(hits []url.Values) []string { return sink.Duplicates(hits) }
