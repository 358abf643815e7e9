package sink

import (
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

const hitBody = "idsite=1&rec=1&url=http%3A%2F%2Fexample.com%2F&_id=0123456789abcdef&rand=42&send_image=0"

func startFaults(t *testing.T, f Faults) *Server {
	t.Helper()
	s, err := StartServer(Config{Faults: f})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func post(c *http.Client, url, body string) (*http.Response, error) {
	resp, err := c.Post(url, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestFaultSinkSlowAnswerRecordsThenTimesOut(t *testing.T) {
	f := startFaults(t, Faults{Fault: Always(SlowAnswer), Delay: time.Second})
	c := &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := post(c, f.URL, hitBody); err == nil {
		t.Fatal("the client got an answer before its timeout")
	}
	if got := len(f.Recorded()); got != 1 {
		t.Fatalf("recorded %d hits, want 1", got)
	}
}

func TestFaultSinkResetAfterReadRecordsThenResets(t *testing.T) {
	f := startFaults(t, Faults{Fault: Always(ResetAfterRead)})
	_, err := post(http.DefaultClient, f.URL, hitBody)
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("error %v, want a connection reset", err)
	}
	if got := len(f.Recorded()); got != 1 {
		t.Fatalf("recorded %d hits, want 1", got)
	}
}

func TestFaultSinkThrottleAndUnavailableRecordNothing(t *testing.T) {
	f := startFaults(t, Faults{
		Fault: func(n int) Fault {
			return [...]Fault{Throttle, Unavailable, Healthy}[n]
		},
		RetryAfter: "1",
	})
	for _, want := range []int{429, 503, 204} {
		resp, err := post(http.DefaultClient, f.URL, hitBody)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Fatalf("status %d, want %d", resp.StatusCode, want)
		}
		if ra := resp.Header.Get("Retry-After"); want != 204 && ra != "1" {
			t.Fatalf("Retry-After %q, want 1", ra)
		}
	}
	if got, faulted := len(f.Recorded()), f.Faulted(); got != 1 || faulted != 2 {
		t.Fatalf("recorded %d, faulted %d; want 1 and 2", got, faulted)
	}
}

func TestFaultSinkPreflightIsNeverFaulted(t *testing.T) {
	f := startFaults(t, Faults{Fault: Always(Unavailable)})
	resp, err := post(http.DefaultClient, f.URL, "idsite=1&send_image=0")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 204 || f.Requests() != 0 {
		t.Fatalf("status %d with %d hit requests; want 204 and 0", resp.StatusCode, f.Requests())
	}
}

func TestFaultSinkDownRefusesThenUpServes(t *testing.T) {
	f := startFaults(t, Faults{})
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := post(c, f.URL, hitBody); err != nil {
		t.Fatal(err)
	}
	f.Down()
	if _, err := post(c, f.URL, hitBody); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("error %v while down, want connection refused", err)
	}
	if err := f.Up(); err != nil {
		t.Fatal(err)
	}
	if _, err := post(c, f.URL, hitBody); err != nil {
		t.Fatal(err)
	}
	hits := f.Recorded()
	if len(hits) != 2 {
		t.Fatalf("recorded %d hits, want 2", len(hits))
	}
	if dups := Duplicates(hits); len(dups) != 1 {
		t.Fatalf("duplicates %q, want the one hit sent twice", dups)
	}
}
