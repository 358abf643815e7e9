package matomo

import (
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/trafficinator/trafficinator/targets/kind"
)

// Encoder turns the hits of a visit into Matomo query strings. In a bulk
// request all entries share one User-Agent header, so each entry then
// carries its visitor's user agent as the ua parameter.
type Encoder struct{ bulk bool }

// NewEncoder returns the encoder of a target that sends bulk requests or
// (bulk false) one request per hit.
func NewEncoder(bulk bool) Encoder { return Encoder{bulk: bulk} }

// Encode implements kind.Encoder. All the queries of a visit are written
// into one pooled buffer and sliced from a string that shares it: one
// allocation at most for all of them, none once the pool is warm. release
// hands the buffer to the next visit, so nothing may read the queries
// after it: in a run without pauses, a visit's memory is otherwise about a
// third of what the garbage collector has to reclaim.
func (e Encoder) Encode(v kind.Visit, payloads []string) (release func()) {
	qb := queryBuffers.Get().(*queryBuffer)
	qb.b = e.encodeInto(v, payloads, qb.b[:0])
	return qb.free
}

// encodeInto writes the queries into buf (from its start), which it
// returns, grown if it had to. The buffer must not be written again while
// the payloads are in use.
func (e Encoder) encodeInto(v kind.Visit, payloads []string, buf []byte) []byte {
	n := v.HitCount()
	ua := ""
	if e.bulk {
		ua = uaParam(v.Agent())
	}
	buf = slices.Grow(buf[:0], n*(encodedHitSize+len(ua)))
	// The ends are kept on the stack for the visits of usual length: the
	// buffer may move while it grows, so the queries are sliced at the end.
	var stack [64]int
	ends := stack[:0]
	if n > len(stack) {
		ends = make([]int, 0, n)
	}
	for i := range n {
		buf = AppendQuery(buf, v.HitAt(i).Params)
		buf = append(buf, ua...)
		ends = append(ends, len(buf))
	}
	all, start := unsafe.String(unsafe.SliceData(buf), len(buf)), 0
	for i := range n {
		payloads[i] = all[start:ends[i]]
		start = ends[i]
	}
	return buf
}

// encodedHitSize is about the size of an encoded hit of the built-in site
// (300 to 500 bytes, ecommerce hits up to 900); a bigger visit costs one
// more growth of the buffer.
const encodedHitSize = 512

// queryBuffer holds the encoded queries of a visit in flight. free is its
// release method, made once with the buffer so that handing it out costs
// no allocation per visit.
type queryBuffer struct {
	b    []byte
	free func()
}

var queryBuffers sync.Pool

func init() {
	// Set here: New refers to release, which refers to the pool.
	queryBuffers.New = func() any {
		q := new(queryBuffer)
		q.free = q.release
		return q
	}
}

// maxPooledQueries bounds the buffers kept: an unusually long visit's
// buffer is left to the garbage collector.
const maxPooledQueries = 64 << 10

func (q *queryBuffer) release() {
	if cap(q.b) <= maxPooledQueries {
		queryBuffers.Put(q)
	}
}

// uaParam is "&ua=" and the escaped agent, which bulk mode appends to every
// hit. Visitors draw their agents from a small pool, so the parameters are
// kept (up to maxUAParams of them) rather than escaped for every visit.
func uaParam(ua string) string {
	if p, ok := uaParams.Load(ua); ok {
		return p.(string)
	}
	p := "&ua=" + url.QueryEscape(ua)
	if uaParamCount.Load() < maxUAParams {
		if _, loaded := uaParams.LoadOrStore(ua, p); !loaded {
			uaParamCount.Add(1)
		}
	}
	return p
}

var (
	uaParams     sync.Map // agent -> "&ua=..."
	uaParamCount atomic.Int32
)

const maxUAParams = 4096
