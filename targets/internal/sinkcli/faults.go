package sinkcli

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

// FaultFlags are the values of --fault, --fault-first, --fault-delay and
// --retry-after: a sink that misbehaves on purpose, to test a client's
// retries and timeouts against it.
type FaultFlags struct {
	Fault      string        // --fault: a sink.Fault name; "" for none
	First      int           // --fault-first: only the first N requests carrying hits; 0 for every one
	Delay      time.Duration // --fault-delay: how long slow-answer waits; 0 for sink.DefaultFaultDelay
	RetryAfter string        // --retry-after: seconds, for throttle and unavailable; "" sends none
}

// faults checks the flags together and returns the sink's faults and a
// sentence saying what the sink will do ("" without faults).
func (f FaultFlags) faults() (sink.Faults, string, error) {
	if f.Fault == "" {
		if f.First != 0 || f.Delay != 0 || f.RetryAfter != "" {
			return sink.Faults{}, "", errors.New("--fault-first, --fault-delay and --retry-after need --fault")
		}
		return sink.Faults{}, "", nil
	}
	fault, err := sink.ParseFault(f.Fault)
	if err != nil {
		return sink.Faults{}, "", fmt.Errorf("--fault: %w", err)
	}
	if f.First < 0 {
		return sink.Faults{}, "", fmt.Errorf("--fault-first %d: want a positive number of requests (0: every request)", f.First)
	}
	if f.Delay < 0 || (f.Delay > 0 && fault != sink.SlowAnswer) {
		return sink.Faults{}, "", fmt.Errorf("--fault-delay %v: want a positive duration, with --fault slow-answer", f.Delay)
	}
	if f.RetryAfter != "" {
		if fault != sink.Throttle && fault != sink.Unavailable {
			return sink.Faults{}, "", errors.New("--retry-after applies to --fault throttle and unavailable")
		}
		if n, err := strconv.Atoi(f.RetryAfter); err != nil || n < 0 || f.RetryAfter != strconv.Itoa(n) {
			return sink.Faults{}, "", fmt.Errorf("--retry-after %q: want a whole number of seconds, such as 1", f.RetryAfter)
		}
	}
	out := sink.Faults{Fault: sink.Always(fault), Delay: f.Delay, RetryAfter: f.RetryAfter}
	which := "every tracking request carrying hits"
	if f.First > 0 {
		out.Fault = sink.FirstN(f.First, fault)
		which = fmt.Sprintf("the first %d tracking requests carrying hits", f.First)
		if f.First == 1 {
			which = "the first tracking request carrying hits"
		}
	}
	note := fmt.Sprintf("fault %s on %s", fault, which)
	switch {
	case fault == sink.SlowAnswer:
		delay := f.Delay
		if delay == 0 {
			delay = sink.DefaultFaultDelay
		}
		note += fmt.Sprintf(", answered after %v", delay)
	case f.RetryAfter != "":
		note += ", Retry-After: " + f.RetryAfter
	}
	return out, note, nil
}
