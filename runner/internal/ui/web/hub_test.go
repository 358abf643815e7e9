package web

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestEncodeEventCannotBeForged(t *testing.T) {
	got := string(encodeEvent("st\nate", []byte("a\n\nevent: stop\r\ndata: x\rb")))
	want := "event: state\ndata: a\ndata: \ndata: event: stop\ndata: data: xb\n\n"
	if got != want {
		t.Errorf("encodeEvent = %q, want %q", got, want)
	}
}

// A client that does not read its queue is dropped once the queue is full,
// and Publish returns at once all the same.
func TestHubDropsAClientWhoseQueueIsFull(t *testing.T) {
	h := &Hub{QueueLen: 3}
	slow, _, _ := h.join(nil)
	for i := range 3 {
		h.Publish("state", []byte{byte('0' + i)}, true)
	}
	if h.Clients() != 1 || h.Dropped() != 0 {
		t.Fatalf("after 3 events: %d clients, %d dropped, want 1, 0", h.Clients(), h.Dropped())
	}
	done := make(chan struct{})
	go func() { h.Publish("state", []byte("3"), true); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a full queue")
	}
	if h.Clients() != 0 || h.Dropped() != 1 {
		t.Errorf("after the 4th event: %d clients, %d dropped, want 0, 1", h.Clients(), h.Dropped())
	}
	select {
	case <-slow.gone:
	default:
		t.Error("the dropped client was not told")
	}
	// A new client starts from the retained state: the last event only.
	_, first, _ := h.join(nil)
	if string(first) != "event: state\ndata: 3\n\n" {
		t.Errorf("a new client starts with %q", first)
	}
}

func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v (so far %q)", err, b.String())
		}
		if line == "\n" {
			if b.Len() > 0 {
				return b.String()
			}
			continue
		}
		if strings.HasPrefix(line, ":") || strings.HasPrefix(line, "retry:") {
			continue
		}
		b.WriteString(line)
	}
}

func TestHubStreamsRetainedThenLive(t *testing.T) {
	h := &Hub{KeepAlive: 20 * time.Millisecond}
	h.Publish("state", []byte(`{"n":1}`), true)
	h.Publish("log", []byte("not retained"), false)
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	if got := readEvent(t, r); got != "event: state\ndata: {\"n\":1}\n" {
		t.Errorf("first event %q, want the retained state", got)
	}
	for h.Clients() != 1 {
		time.Sleep(time.Millisecond)
	}
	h.Publish("state", []byte(`{"n":2}`), true)
	if got := readEvent(t, r); got != "event: state\ndata: {\"n\":2}\n" {
		t.Errorf("second event %q", got)
	}
	// The keep-alive comments flow while nothing is published.
	line, _ := r.ReadString('\n')
	for line == "\n" {
		line, _ = r.ReadString('\n')
	}
	if line != ": keep-alive\n" {
		t.Errorf("idle stream line %q, want a keep-alive comment", line)
	}
	h.Close()
	if _, err := r.ReadString(0); err == nil {
		t.Error("the stream goes on after Close")
	}
	resp2, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("after Close: status %d, want 503", resp2.StatusCode)
	}
}
