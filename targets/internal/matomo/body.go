package matomo

import "sync"

// pooledBody is a request body being built in a pooled buffer. newRequest
// copies it into the request, so the buffer goes back to the pool as soon
// as the request exists.
type pooledBody struct {
	b []byte
}

const maxPooledBody = 1 << 20 // bigger buffers are left to the GC

var bodyPool = sync.Pool{New: func() any { return &pooledBody{b: make([]byte, 0, 1024)} }}

// getBody returns an empty buffer owned by the caller.
func getBody() *pooledBody {
	p := bodyPool.Get().(*pooledBody)
	p.b = p.b[:0]
	return p
}

// release gives the buffer back.
func (p *pooledBody) release() {
	if cap(p.b) <= maxPooledBody {
		bodyPool.Put(p)
	}
}
