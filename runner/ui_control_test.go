package runner_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/trafficinator/trafficinator/runner"
)

// syncBuffer is a bytes.Buffer the test reads while ServeControl writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeControlIsGuardedAndEndsWithItsContext: the control page says
// where it listens, answers behind the Guard (its headers, 403 for a POST
// without the CSRF token), creates the runs folder, and returns when its
// context ends.
func TestServeControlIsGuardedAndEndsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs", "nested")
	ctx, cancel := context.WithCancel(context.Background())
	var log syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runner.ServeControl(ctx, runner.ControlOptions{
			Dir: dir, Runs: runs, Addr: "127.0.0.1:0", Log: &log, Ready: func(u string) { ready <- u },
		})
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatalf("ServeControl: %v", err)
	}
	if got := log.String(); got != "control page at "+url+"\n" || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("log %q", got)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Security-Policy") == "" || !strings.Contains(string(body), `<meta name="csrf-token" content="`) {
		t.Errorf("GET / = %d, CSP %q\n%s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), body)
	}
	resp, err = http.Post(url+"stop", "application/x-www-form-urlencoded", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /stop without the CSRF token = %d, want 403", resp.StatusCode)
	}
	if st, err := os.Stat(runs); err != nil || !st.IsDir() {
		t.Errorf("the runs folder was not created: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ServeControl after its context ended: %v", err)
	}
}

func TestServeControlRefusesAnOpenAddressWithoutAToken(t *testing.T) {
	err := runner.ServeControl(context.Background(), runner.ControlOptions{Dir: t.TempDir(), Runs: t.TempDir(), Addr: "0.0.0.0:0"})
	if !errors.Is(err, runner.ErrUITokenRequired) {
		t.Errorf("err = %v, want the token refusal", err)
	}
}
