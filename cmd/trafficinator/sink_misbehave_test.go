package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// --drop-visits and --merge-visits reach the sink: it says so, drops every
// visit at 1, and its reporting API shows none.
func TestSinkMisbehaveFlags(t *testing.T) {
	base, note := startSinkCLI(t, "--drop-visits", "1", "--merge-visits", "0.5", "--misbehave-seed", "3")
	if want := "trafficinator sink drops 100% and merges 50% of visits on purpose (seed 3)\n"; note != want {
		t.Errorf("second line %q, want %q", note, want)
	}
	resp, err := http.Post(base+"/matomo.php", "application/x-www-form-urlencoded",
		strings.NewReader("idsite=1&rec=1&_id=0123456789abcdef&url=https%3A%2F%2Fx.example%2F&send_image=0"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(base + "/index.php?module=API&format=JSON&method=Live.getCounters&idSite=1&lastMinutes=5")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"visits": 0,`) {
		t.Errorf("counters %s: want no visit", b)
	}
}

func TestSinkMisbehaveFlagErrors(t *testing.T) {
	code, stdout, stderr := runCLI(t, "sink", "--listen", "127.0.0.1:0", "--drop-visits", "2")
	if want := "trafficinator: --drop-visits 2: want a share between 0 and 1, such as 0.02\n"; code != exitUsage || stderr != want || stdout != "" {
		t.Errorf("exit %d, stderr %q, stdout %q; want %d and %q", code, stderr, stdout, exitUsage, want)
	}
}
