package sink

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// startSink starts s on a loopback port and returns its host:port.
func startSink(t *testing.T, cfg Config) (*Sink, string) {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/matomo.php")
}

// waitFor polls cond until it holds. The deadline only keeps a broken
// sink from hanging the test; no assertion depends on how long it takes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// slowPost opens a connection that declares a body of declared bytes and
// sends only sent of them.
func slowPost(t *testing.T, addr string, declared int64, sent int) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	head := "POST /matomo.php HTTP/1.1\r\nHost: sink\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
		strconv.FormatInt(declared, 10) + "\r\n\r\n"
	if _, err := io.WriteString(c, head+strings.Repeat("a", sent)); err != nil {
		t.Fatal(err)
	}
	return c
}

// readUntilClosed reads what the server sends until it closes the
// connection; a read that ends in anything but EOF fails the test.
func readUntilClosed(t *testing.T, c net.Conn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second)) // a hang guard only
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("the sink did not close the connection: %v (read %q)", err, b)
	}
	return string(b)
}

// Item 7: the sink reserved the declared Content-Length up front; 50 slow
// connections took 1.6 GB. Memory now follows the bytes received.
func TestWrong7SinkPreallocatesBodies(t *testing.T) {
	if raceEnabled {
		t.Skip("heap figures differ under the race detector")
	}
	const conns, declared, sent = 50, DefaultMaxBody, 14 // 50 × 32 MiB declared
	s, addr := startSink(t, Config{})
	var before, during runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cs := make([]net.Conn, conns)
	for i := range cs {
		cs[i] = slowPost(t, addr, declared, sent)
	}
	// Every request has read its first bytes into a first chunk of 512
	// and waits for more.
	waitFor(t, "50 bodies in flight", func() bool { return s.bodies.reading.Load() == conns && s.bodies.used.Load() == conns*512 })
	runtime.GC()
	runtime.ReadMemStats(&during)
	if grew := int64(during.HeapAlloc) - int64(before.HeapAlloc); grew > 16<<20 {
		t.Errorf("heap grew by %d MiB for %d stalled bodies (declared %d MiB each); want under 16 MiB", grew>>20, conns, declared>>20)
	}
	for _, c := range cs {
		c.Close()
	}
	// Every reservation is given back when its request ends.
	waitFor(t, "the body memory to be released", func() bool { return s.bodies.used.Load() == 0 && s.bodies.reading.Load() == 0 })
	if n := s.Stats().RequestErrors["read_error"]; n != conns {
		t.Errorf("read_error = %d, want %d", n, conns)
	}
}

// Bodies in flight share a budget: a request beyond it gets 503 with
// Retry-After at once, is not recorded, and succeeds once memory is free.
func TestSinkBodyMemoryBudget(t *testing.T) {
	const maxBody = 4096
	s, addr := startSink(t, Config{MaxBody: maxBody, MaxBodyMemory: 2*maxBody + 1})
	// Two stalled bodies hold 512+512+1024+2048 bytes each: 8192 of 8193.
	a := slowPost(t, addr, maxBody, 2049)
	b := slowPost(t, addr, maxBody, 2049)
	waitFor(t, "two bodies holding 8192 bytes", func() bool { return s.bodies.used.Load() == 8192 })

	hit := "idsite=1&rec=1&url=https%3A%2F%2Fexample.com%2F&_id=0123456789abcdef&send_image=0"
	post := func() *http.Response {
		t.Helper()
		resp, err := http.Post("http://"+addr+"/matomo.php", "application/x-www-form-urlencoded", strings.NewReader(hit))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	resp := post()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("over the budget: %d, Retry-After %q; want 503 and 1", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	st := s.Stats()
	if st.RequestErrors["busy"] != 1 || st.Hits != 0 || st.Responses["503"] != 1 {
		t.Errorf("busy %d, hits %d, 503s %d; want 1, 0, 1", st.RequestErrors["busy"], st.Hits, st.Responses["503"])
	}
	a.Close()
	waitFor(t, "the first body to be released", func() bool { return s.bodies.used.Load() == 4096 })
	if resp := post(); resp.StatusCode != http.StatusNoContent {
		t.Errorf("within the budget: %d, want 204", resp.StatusCode)
	}
	if st := s.Stats(); st.Hits != 1 {
		t.Errorf("hits received %d, want 1", st.Hits)
	}
	b.Close()
	waitFor(t, "every body to be released", func() bool { return s.bodies.used.Load() == 0 })
}

// Slowloris: a client that sends its headers or body slowly, or keeps an
// idle connection, is cut off after the timeout.
func TestSinkTimeouts(t *testing.T) {
	_, addr := startSink(t, Config{ReadHeaderTimeout: 50 * time.Millisecond, BodyTimeout: 100 * time.Millisecond, IdleTimeout: 100 * time.Millisecond})

	t.Run("headers", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "POST /matomo.php HTTP/1.1\r\nHost: sink\r\n")
		if got := readUntilClosed(t, c); got != "" && !strings.HasPrefix(got, "HTTP/1.1 408") {
			t.Errorf("answer to headers never finished: %q", got)
		}
	})
	t.Run("body", func(t *testing.T) {
		c := slowPost(t, addr, 100, 10)
		got := readUntilClosed(t, c)
		if !strings.HasPrefix(got, "HTTP/1.1 408 ") || !strings.Contains(got, "body not received in time") {
			t.Errorf("answer to a body never finished: %q", got)
		}
	})
	t.Run("idle", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: sink\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %v %v", resp, err)
		}
		io.Copy(io.Discard, resp.Body)
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second)) // a hang guard only
		if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
			t.Errorf("idle connection not closed: %q, %v", rest, err)
		}
	})
}

func TestReadAtMost(t *testing.T) {
	body := strings.Repeat("x", 5000)
	var reserved int
	reserve := func(n int) bool { reserved += n; return true }
	for _, c := range []struct {
		name        string
		size, limit int64
		want        string
		err         error
	}{
		{"known size", 5000, 8000, body, nil},
		{"unknown size", -1, 8000, body, nil},
		{"over the limit", -1, 4999, "", errTooLarge},
		{"reader longer than its size", 100, 8000, body[:100], nil},
		{"empty", 0, 8000, "", nil},
	} {
		reserved = 0
		got, pooled, err := readAtMost(nil, strings.NewReader(body), c.size, c.limit, reserve)
		if got != c.want || err != c.err {
			t.Errorf("%s: %d bytes, %v; want %d, %v", c.name, len(got), err, len(c.want), c.err)
		}
		// Chunks hold no more than what arrived (doubling: twice, when the
		// size is unknown) plus one byte, and the string is reserved too.
		most := 2*len(got) + 512
		if c.size < 0 {
			most = 3*len(got) + 512
		}
		if err == nil && reserved > most {
			t.Errorf("%s: reserved %d bytes for %d", c.name, reserved, len(got))
		}
		if err == nil && len(got) > 0 && cap(pooled) == 0 {
			t.Errorf("%s: no buffer kept for the next request", c.name)
		}
	}
	// A refused reservation ends the read.
	n := 0
	_, _, err := readAtMost(nil, strings.NewReader(body), -1, 8000, func(int) bool { n++; return n < 3 })
	if err != errNoMemory {
		t.Errorf("refused reservation: %v, want errNoMemory", err)
	}
}

func TestLimitsConfig(t *testing.T) {
	for _, cfg := range []Config{
		{BodyTimeout: -1}, {ReadHeaderTimeout: -1}, {IdleTimeout: -1}, {MaxBodyMemory: -1},
		{MaxBody: 1000, MaxBodyMemory: 2000},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	s, err := New(Config{MaxBody: 1 << 30})
	if err != nil || s.bodies.limit != 2<<30+1 {
		t.Errorf("a 1 GiB body limit gets a budget of %d, %v; want 2 GiB + 1", s.bodies.limit, err)
	}
}
