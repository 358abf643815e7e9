package loadtest

import (
	"net/url"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"
)

// The faults are the sink's own (targets/sink, docs/sink.md); these names
// keep the runner's delivery tests short.
type (
	// Fault is what a FaultSink does with one tracking request.
	Fault = targets.Fault
	// FaultSink is a sink on 127.0.0.1 that injects faults, records every
	// hit it accepted and can refuse connections for a while.
	FaultSink = targets.SinkServer
)

// The faults, as in targets/sink.
const (
	Healthy        = targets.Healthy
	SlowAnswer     = targets.SlowAnswer
	ResetAfterRead = targets.ResetAfterRead
	Throttle       = targets.Throttle
	Unavailable    = targets.Unavailable
)

// Always faults every request; FirstN the first n.
var (
	Always = targets.Always
	FirstN = targets.FirstN
)

// Duplicates returns the hits and orders recorded more than once.
func Duplicates(hits []url.Values) []string { return targets.DuplicateHits(hits) }

// FaultConfig says how to start a FaultSink.
type FaultConfig struct {
	SiteID int    // default 1
	Token  string // token_auth with write access; "" for none
	// Fault picks the fault of the n-th tracking request carrying hits
	// (0-based, in arrival order); nil is Healthy for every request.
	// Requests without rec=1 (the preflight) are never faulted.
	Fault func(n int) Fault
	// Delay is how long a SlowAnswer waits before answering; default 2s.
	Delay time.Duration
	// RetryAfter is the Retry-After header of Throttle and Unavailable
	// answers; "" sends none.
	RetryAfter string
}

// StartFaultSink starts a fault-injecting sink for one site.
func StartFaultSink(cfg FaultConfig) (*FaultSink, error) {
	if cfg.SiteID == 0 {
		cfg.SiteID = 1
	}
	site := targets.SinkSite{ID: cfg.SiteID}
	if cfg.Token != "" {
		site.Tokens = []string{cfg.Token}
	}
	return targets.StartSink(targets.SinkOptions{
		Sites:  []targets.SinkSite{site},
		Faults: targets.SinkFaults{Fault: cfg.Fault, Delay: cfg.Delay, RetryAfter: cfg.RetryAfter},
	})
}

// StartFaultSinkT starts a fault sink for t: a start error fails the test,
// and the sink is closed when the test ends.
func StartFaultSinkT(t testing.TB, cfg FaultConfig) *FaultSink {
	t.Helper()
	f, err := StartFaultSink(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}
