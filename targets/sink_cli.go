package targets

import (
	"context"
	"io"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
	"github.com/trafficinator/trafficinator/targets/internal/sinkcli"
)

// What the trafficinator sink command uses (cmd/trafficinator/sink.go):
// the order-sensitive --site/--token/--timezone flags, the fault flags,
// sizes, and running a standalone sink until a signal.
type (
	// SinkSiteFlags collects --site, --token and --timezone in
	// command-line order.
	SinkSiteFlags = sinkcli.SiteFlags
	// SinkFaultFlags are the values of --fault, --fault-first,
	// --fault-delay and --retry-after.
	SinkFaultFlags = sinkcli.FaultFlags
	// SinkRunOptions are the settings of a standalone sink.
	SinkRunOptions = sinkcli.Options
	// SinkUsageError is a mistake in SinkRunOptions, as opposed to a
	// failure while running.
	SinkUsageError = sinkcli.UsageError
)

// DefaultFaultDelay is how long a SlowAnswer waits unless told otherwise.
const DefaultFaultDelay = sink.DefaultFaultDelay

// RunSink serves a standalone sink until ctx ends, then stops it cleanly.
// It prints where it listens to stdout when ready, and a summary when
// stopped.
func RunSink(ctx context.Context, o SinkRunOptions, stdout io.Writer) error {
	return sinkcli.Run(ctx, o, stdout)
}

// ParseSize reads a byte count such as 1048576, 512KiB or 32MB.
func ParseSize(s string) (int64, error) { return sinkcli.ParseSize(s) }
