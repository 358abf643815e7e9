package visit

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"sync"
	"testing"
	"time"

	"github.com/trafficinator/trafficinator/targets"
)

// hashVisit feeds everything a visit sends or decides into h.
func hashVisit(h hash.Hash, v *Visit) {
	var b [8]byte
	num := func(x uint64) { binary.LittleEndian.PutUint64(b[:], x); h.Write(b[:]) }
	str := func(s string) { num(uint64(len(s))); h.Write([]byte(s)) }
	num(v.Index)
	str(v.UserAgent)
	str(v.IP.String())
	num(uint64(v.Duration))
	for _, hit := range v.Hits {
		num(uint64(hit.Kind))
		num(uint64(hit.Offset))
		num(uint64(hit.Pause))
		str(targets.MatomoQuery(hit.Params))
	}
}

func streamHash(visits []*Visit) [32]byte {
	h := sha256.New()
	for _, v := range visits {
		hashVisit(h, v)
	}
	return [32]byte(h.Sum(nil))
}

// TestDeterminism: visits 0..999 of seed 42 hash the same generated in
// order, in reverse order and from 8 goroutines.
func TestDeterminism(t *testing.T) {
	cfg := busyConfig()
	end := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	const n = 1000
	make1 := func(i int) *Visit {
		v := Generate(cfg, 42, uint64(i))
		v.StampEnd(end)
		return v
	}
	inOrder := make([]*Visit, n)
	for i := range n {
		inOrder[i] = make1(i)
	}
	reverse := make([]*Visit, n)
	for i := n - 1; i >= 0; i-- {
		reverse[i] = make1(i)
	}
	parallel := make([]*Visit, n)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := g; i < n; i += 8 {
				parallel[i] = make1(i)
			}
		})
	}
	wg.Wait()
	want := streamHash(inOrder)
	if streamHash(reverse) != want || streamHash(parallel) != want {
		t.Error("the hit stream depends on generation order")
	}
	// And the seed matters.
	other := make([]*Visit, n)
	for i := range n {
		other[i] = Generate(cfg, 43, uint64(i))
		other[i].StampEnd(end)
	}
	if streamHash(other) == want {
		t.Error("seeds 42 and 43 give the same hit stream")
	}
}

// TestNeighbouringStreams: visits next to each other do not share draws.
func TestNeighbouringStreams(t *testing.T) {
	seen := map[string]uint64{}
	cfg := defaultConfig()
	for i := range uint64(50000) {
		id := Generate(cfg, 42, i).VisitorID
		if j, dup := seen[id]; dup {
			t.Fatalf("visits %d and %d share visitor id %s", j, i, id)
		}
		seen[id] = i
	}
	if a, b := newRand(1, 2).Uint64(), newRand(2, 1).Uint64(); a == b {
		t.Error("(1, 2) and (2, 1) give the same stream")
	}
}
