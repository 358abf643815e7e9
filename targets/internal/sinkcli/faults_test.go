package sinkcli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultFlagsErrors(t *testing.T) {
	for _, c := range []struct {
		flags FaultFlags
		want  string
	}{
		{FaultFlags{First: 2}, "--fault-first, --fault-delay and --retry-after need --fault"},
		{FaultFlags{RetryAfter: "1"}, "--fault-first, --fault-delay and --retry-after need --fault"},
		{FaultFlags{Fault: "slow"}, `--fault: unknown fault "slow" (want slow-answer, reset-after-read, throttle, unavailable)`},
		{FaultFlags{Fault: "healthy"}, `--fault: unknown fault "healthy" (want slow-answer, reset-after-read, throttle, unavailable)`},
		{FaultFlags{Fault: "throttle", First: -1}, "--fault-first -1: want a positive number of requests (0: every request)"},
		{FaultFlags{Fault: "throttle", Delay: time.Second}, "--fault-delay 1s: want a positive duration, with --fault slow-answer"},
		{FaultFlags{Fault: "slow-answer", Delay: -time.Second}, "--fault-delay -1s: want a positive duration, with --fault slow-answer"},
		{FaultFlags{Fault: "slow-answer", RetryAfter: "1"}, "--retry-after applies to --fault throttle and unavailable"},
		{FaultFlags{Fault: "unavailable", RetryAfter: "soon"}, `--retry-after "soon": want a whole number of seconds, such as 1`},
		{FaultFlags{Fault: "unavailable", RetryAfter: "-1"}, `--retry-after "-1": want a whole number of seconds, such as 1`},
		{FaultFlags{Fault: "unavailable", RetryAfter: "+1"}, `--retry-after "+1": want a whole number of seconds, such as 1`},
	} {
		err := Run(context.Background(), Options{Listen: "127.0.0.1:0", Faults: c.flags}, io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) || err.Error() != c.want {
			t.Errorf("%+v: error %v, want the usage error %q", c.flags, err, c.want)
		}
	}
}

func TestFaultFlagsNote(t *testing.T) {
	for _, c := range []struct {
		flags FaultFlags
		want  string
	}{
		{FaultFlags{}, ""},
		{FaultFlags{Fault: "slow-answer"}, "fault slow-answer on every tracking request carrying hits, answered after 2s"},
		{FaultFlags{Fault: "slow-answer", Delay: 30 * time.Second, First: 1}, "fault slow-answer on the first tracking request carrying hits, answered after 30s"},
		{FaultFlags{Fault: "reset-after-read"}, "fault reset-after-read on every tracking request carrying hits"},
		{FaultFlags{Fault: "throttle", RetryAfter: "0"}, "fault throttle on every tracking request carrying hits, Retry-After: 0"},
		{FaultFlags{Fault: "unavailable", First: 3}, "fault unavailable on the first 3 tracking requests carrying hits"},
	} {
		if _, note, err := c.flags.faults(); err != nil || note != c.want {
			t.Errorf("%+v: %q, %v; want %q", c.flags, note, err, c.want)
		}
	}
}

// A sink run with --fault throttle --fault-first 2 --retry-after 7
// answers 429 twice, then records; the summary counts the faults.
func TestRunInjectsFaults(t *testing.T) {
	base, stop := startRun(t, Options{Listen: "127.0.0.1:0", Faults: FaultFlags{Fault: "throttle", First: 2, RetryAfter: "7"}})
	for i, want := range []int{429, 429, 204} {
		resp, err := http.Post(base+"/matomo.php", "application/x-www-form-urlencoded",
			strings.NewReader("idsite=1&rec=1&_id=0123456789abcdef&url=https%3A%2F%2Fx.example%2F&send_image=0"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		retryAfter := "7"
		if want == 204 {
			retryAfter = ""
		}
		if resp.StatusCode != want || resp.Header.Get("Retry-After") != retryAfter {
			t.Errorf("request %d: status %d, Retry-After %q; want %d, %q", i, resp.StatusCode, resp.Header.Get("Retry-After"), want, retryAfter)
		}
	}
	rest, err := stop()
	if err != nil {
		t.Fatal(err)
	}
	want := "trafficinator sink injects fault throttle on the first 2 tracking requests carrying hits, Retry-After: 7\n" +
		"trafficinator sink stopped: 1 requests, 1 hits (1 recorded, 0 excluded, 0 invalid), 0 rule violations\n" +
		"trafficinator sink faulted 2 of 3 tracking requests carrying hits\n"
	if rest != want {
		t.Errorf("output after the start line:\n%s\nwant:\n%s", rest, want)
	}
}
