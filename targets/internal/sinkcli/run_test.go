package sinkcli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets/internal/sink"
)

// startRun runs Run in the background and returns the base URL it prints.
func startRun(t *testing.T, o Options) (base string, stop func() (string, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := Run(ctx, o, pw)
		pw.Close()
		done <- err
	}()
	rd := bufio.NewReader(pr)
	line, err := rd.ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no start line: %v (%v)", err, <-done)
	}
	m := regexp.MustCompile(`listening on (http://\S+) `).FindStringSubmatch(line)
	if m == nil {
		cancel()
		t.Fatalf("start line %q", line)
	}
	return m[1], func() (string, error) {
		cancel()
		rest, _ := io.ReadAll(rd)
		return string(rest), <-done
	}
}

func TestRunServesUntilCancelled(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "hits.jsonl")
	token := "cli-secret-token-0001"
	base, stop := startRun(t, Options{
		Listen:  "127.0.0.1:0",
		Sites:   []sink.Site{{ID: 4, Tokens: []string{token}, Timezone: "Europe/Stockholm"}},
		LogPath: logPath,
	})
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("listening on %s, want 127.0.0.1", base)
	}
	resp, err := http.Post(base+"/matomo.php", "application/x-www-form-urlencoded",
		strings.NewReader("idsite=4&rec=1&_id=0123456789abcdef&url=https%3A%2F%2Fx.example%2F&send_image=0&token_auth="+token))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}

	summary, err := stop()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "stopped: 1 requests, 1 hits (1 recorded, 0 excluded, 0 invalid), 0 rule violations") {
		t.Errorf("summary %q", summary)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the sink still answers after stopping")
	}
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Site    int
		Outcome string
		Params  map[string]string
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatalf("log %q: %v", data, err)
	}
	if rec.Site != 4 || rec.Outcome != "recorded" || rec.Params["token_auth"] != "REDACTED" || strings.Contains(string(data), token) {
		t.Errorf("log line %s", data)
	}
}

func TestRunRejectsBadListen(t *testing.T) {
	for _, addr := range []string{"", "8089", "localhost", "127.0.0.1:http-alt", "127.0.0.1:70000"} {
		err := Run(context.Background(), Options{Listen: addr}, io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("Run(listen %q) = %v, want a usage error", addr, err)
		}
	}
}

func TestRunReportsAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = Run(context.Background(), Options{Listen: ln.Addr().String()}, io.Discard)
	var ue *UsageError
	if err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "listen on") {
		t.Errorf("Run on a busy port = %v, want a runtime error", err)
	}
}

func TestRunReportsUnwritableLog(t *testing.T) {
	err := Run(context.Background(), Options{Listen: "127.0.0.1:0", LogPath: filepath.Join(t.TempDir(), "missing", "hits.jsonl")}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "hit log") {
		t.Errorf("Run with an unwritable log = %v", err)
	}
}

func TestRunChecksOptionsBeforeTouchingTheLog(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "hits.jsonl")
	if err := os.WriteFile(logPath, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Run(context.Background(), Options{Listen: "127.0.0.1:0", MaxBody: 2 << 30, LogPath: logPath}, io.Discard)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "body limit") {
		t.Errorf("Run with a 2 GiB body limit = %v, want a usage error", err)
	}
	if data, _ := os.ReadFile(logPath); string(data) != "keep\n" {
		t.Errorf("the log file was touched: %q", data)
	}
}

func TestRunRejectsBadCapacity(t *testing.T) {
	for _, o := range []Options{{Listen: "127.0.0.1:0", MaxRate: -5}, {Listen: "127.0.0.1:0", Latency: -time.Millisecond}} {
		err := Run(context.Background(), o, io.Discard)
		var ue *UsageError
		if !errors.As(err, &ue) || !(strings.Contains(err.Error(), "MaxRate -5") || strings.Contains(err.Error(), "Latency -1ms")) {
			t.Errorf("Run(max rate %v, latency %v) = %v, want a usage error naming the value", o.MaxRate, o.Latency, err)
		}
	}
}
