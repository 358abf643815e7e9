package visit

import "sync"

// paramStore is the parameter array of a visit's hits, kept for reuse. A
// visit's parameters are its biggest allocation (about 150 parameters of
// 32 bytes, all pointers to scan) and in a run they live only until the
// visit is encoded: Release hands the array to the next Generate instead
// of to the garbage collector.
type paramStore struct{ p []Param }

var paramStores = sync.Pool{New: func() any { return new(paramStore) }}

// maxStoredParams bounds what the pool keeps: an unusual visit with
// thousands of hits leaves its array to the garbage collector.
const maxStoredParams = 4096

// takeParams returns a store whose array is empty with room for n.
func takeParams(n int) *paramStore {
	s := paramStores.Get().(*paramStore)
	if cap(s.p) < n {
		s.p = make([]Param, 0, n)
	}
	s.p = s.p[:0]
	return s
}

// Release gives the storage of v's hit parameters back for reuse by a
// later Generate. v's hits have no parameters afterwards; a visit that is
// not released is simply collected.
func (v *Visit) Release() {
	s := v.params
	if s == nil {
		return
	}
	v.params = nil
	for i := range v.Hits {
		v.Hits[i].Params = nil
	}
	if cap(s.p) > maxStoredParams {
		return
	}
	clear(s.p[:cap(s.p)]) // the array must not keep this visit's strings alive
	s.p = s.p[:0]
	paramStores.Put(s)
}
