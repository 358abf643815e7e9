package live_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/trafficinator/trafficinator/runner/internal/live"
)

func TestServeAnswersOnlyMetrics(t *testing.T) {
	srv := serve(t, twoTargets())
	if !strings.HasPrefix(srv.Addr(), "127.0.0.1:") || strings.HasSuffix(srv.Addr(), ":0") {
		t.Fatalf("Addr() = %q, want 127.0.0.1 with the port it got", srv.Addr())
	}
	if want := "http://" + srv.Addr() + "/metrics"; srv.URL() != want {
		t.Fatalf("URL() = %q, want %q", srv.URL(), want)
	}
	for path, status := range map[string]int{"/metrics": 200, "/": 404, "/debug/pprof/": 404} {
		resp, err := http.Get("http://" + srv.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, status)
		}
	}
}

// TestServeIncludesProcessMetrics: the Go runtime and process collectors
// sit beside the run's figures, to tell a saturated generator from a slow
// target.
func TestServeIncludesProcessMetrics(t *testing.T) {
	srv := serve(t, nil)
	resp, err := http.Get(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	mfs, err := parseText(string(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := mfs[name]; !ok {
			t.Errorf("no %s in the scrape", name)
		}
	}
}

func TestStopClosesTheListener(t *testing.T) {
	srv, err := live.Serve("127.0.0.1:0", twoTargets())
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr()
	if err := srv.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections after Stop", addr)
	}
	// The port is free again: a new run can use the same address.
	again, err := live.Serve(addr, nil)
	if err != nil {
		t.Fatalf("serve again on %s: %v", addr, err)
	}
	_ = again.Stop()
}

func TestServeRefusesBadAddresses(t *testing.T) {
	busy := serve(t, nil)
	for _, tc := range []struct{ addr, want string }{
		{"", "metrics address is empty"},
		{"9464", `metrics address "9464": address 9464: missing port in address`},
		{"127.0.0.1:notaport", `metrics address "127.0.0.1:notaport"`},
		{"127.0.0.1:70000", `metrics address "127.0.0.1:70000"`},
		{busy.Addr(), `metrics address "` + busy.Addr() + `"`},
	} {
		srv, err := live.Serve(tc.addr, nil)
		if err == nil {
			_ = srv.Stop()
			t.Errorf("Serve(%q) succeeded", tc.addr)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Serve(%q): %v, want it to contain %q", tc.addr, err, tc.want)
		}
	}
}
