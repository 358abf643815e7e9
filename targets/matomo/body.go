package matomo

import (
	"io"
	"sync"
	"sync/atomic"
)

// pooledBody is a request body in a pooled buffer. The transport may still
// be writing a body after Do has returned (when the server answers early),
// so the buffer goes back to the pool only when the sender and every reader
// handed to the transport are done with it.
type pooledBody struct {
	b    []byte
	refs atomic.Int32
}

const maxPooledBody = 1 << 20 // bigger buffers are left to the GC

var bodyPool = sync.Pool{New: func() any { return &pooledBody{b: make([]byte, 0, 1024)} }}

// getBody returns an empty buffer owned by the caller (one reference).
func getBody() *pooledBody {
	p := bodyPool.Get().(*pooledBody)
	p.b = p.b[:0]
	p.refs.Store(1)
	return p
}

// release drops one reference.
func (p *pooledBody) release() {
	if p.refs.Add(-1) == 0 && cap(p.b) <= maxPooledBody {
		bodyPool.Put(p)
	}
}

// reader returns a new reader over the buffer holding its own reference,
// released by Close.
func (p *pooledBody) reader() io.ReadCloser {
	p.refs.Add(1)
	return &bodyReader{p: p}
}

func (p *pooledBody) getBody() (io.ReadCloser, error) { return p.reader(), nil }

// bodyReader reads a pooledBody. The transport may Close it from another
// goroutine while a write is in progress, hence the mutex: the buffer must
// not go back to the pool in the middle of a copy.
type bodyReader struct {
	mu     sync.Mutex
	p      *pooledBody
	off    int
	closed bool
}

func (r *bodyReader) Read(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.off >= len(r.p.b) {
		return 0, io.EOF
	}
	n := copy(b, r.p.b[r.off:])
	r.off += n
	return n, nil
}

func (r *bodyReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.closed = true
		r.p.release()
	}
	return nil
}
