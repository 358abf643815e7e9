package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Target is an opened file target. Hits are appended one write per
// request, under a lock, so that concurrent visits never interleave lines.
type Target struct {
	enc   encoder
	path  string
	token bool

	mu  sync.Mutex
	f   *os.File
	err error // of creating the file, kept for every later hit
}

// Encode implements kind.Encoder.
func (t *Target) Encode(v kind.Visit, payloads []string) func() { return t.enc.Encode(v, payloads) }

// SendOne implements kind.Sender.
func (t *Target) SendOne(ctx context.Context, line, _ string) kind.Result {
	return t.write(ctx, 1, line+"\n")
}

// SendBulk implements kind.Sender: the lines of a bulk request are written
// at once.
func (t *Target) SendBulk(ctx context.Context, lines []string, _ string) kind.Result {
	return t.write(ctx, len(lines), strings.Join(lines, "\n")+"\n")
}

func (t *Target) write(ctx context.Context, hits int, text string) kind.Result {
	res := kind.Result{Hits: hits, Attempts: 1}
	if err := ctx.Err(); err != nil {
		res.Failed, res.Err, res.ErrKind = hits, err, "canceled"
		return res
	}
	start := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil && t.err == nil {
		t.f, t.err = os.OpenFile(t.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	}
	if t.err != nil {
		res.Failed, res.Err, res.ErrKind = hits, t.err, "file"
		return res
	}
	n, err := t.f.WriteString(text)
	res.Latency = time.Since(start)
	switch {
	case err == nil:
		// Reports count requests by HTTP status, where 0 is a network
		// error: a written request counts as the 200 a server would send.
		res.OK, res.Status = hits, 200
	case n == 0:
		res.Failed, res.Err, res.ErrKind = hits, err, "file"
	default:
		// Part of the lines is in the file: which ones is not known.
		res.Unknown, res.Err, res.ErrKind = hits, err, "file"
	}
	return res
}

// Preflight implements kind.Target: the file's folder must take a new
// file. Nothing is left behind.
func (t *Target) Preflight(context.Context) kind.Preflight {
	start := time.Now()
	p := kind.Preflight{Token: "none"}
	if t.token {
		p.Token = "unchecked" // a file has no use for a token
	}
	dir := filepath.Dir(t.path)
	err := checkWritable(dir)
	p.Latency = time.Since(start)
	if err != nil {
		p.Message = fmt.Sprintf("folder %s is not writable: %v", dir, cause(err))
		return p
	}
	if fi, err := os.Stat(t.path); err == nil && fi.IsDir() {
		p.Message = t.path + " is a folder"
		return p
	}
	p.Reachable = true
	p.Message = "folder " + dir + " is writable"
	return p
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".trafficinator-preflight-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// Endpoint implements kind.Target.
func (t *Target) Endpoint() string { return Scheme + t.path }

// Close implements kind.Target.
func (t *Target) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f, t.err = nil, errors.New("file target closed")
	return err
}

// cause is err without the temporary file's name that os.PathError adds.
func cause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
