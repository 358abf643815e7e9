package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Entries are encoded as: the visit as a zigzag varint delta from the
// previous entry's visit of the record, then uvarints hits, from and
// count, then the outcome byte.
func appendEntry(dst []byte, prev *uint64, e Entry) []byte {
	dst = binary.AppendVarint(dst, int64(e.Visit-*prev))
	*prev = e.Visit
	dst = binary.AppendUvarint(dst, uint64(e.Hits))
	dst = binary.AppendUvarint(dst, uint64(e.From))
	dst = binary.AppendUvarint(dst, uint64(e.To-e.From))
	return append(dst, byte(e.Outcome))
}

// decoder reads varints from a record payload.
type decoder struct {
	data []byte
	err  error
}

var errShort = errors.New("record ends inside a field")

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.data)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.data) == 0 {
		d.err = errShort
		return 0
	}
	b := d.data[0]
	d.data = d.data[1:]
	return b
}

// small reads a uvarint that must be at most limit.
func (d *decoder) small(limit uint64, what string) int {
	v := d.uvarint()
	if d.err == nil && v > limit {
		d.err = fmt.Errorf("%s %d is over %d", what, v, limit)
	}
	return int(v)
}

// applyEntries applies the entries of an 'E' payload (kind byte removed).
func applyEntries(s *State, data []byte) error {
	d := decoder{data: data}
	var prev uint64
	for len(d.data) > 0 {
		prev += uint64(d.varint())
		hits := d.small(maxHits, "hits")
		from := d.small(maxHits, "hit")
		count := d.small(maxHits, "count")
		o := Outcome(d.byte())
		if d.err != nil {
			return d.err
		}
		e := Entry{Visit: prev, Hits: hits, From: from, To: from + count, Outcome: o}
		if !s.apply(e) {
			return fmt.Errorf("invalid entry: visit %d, hits %d..%d of %d, %s", e.Visit, e.From, e.To, e.Hits, e.Outcome)
		}
	}
	return nil
}

// appendSnapshot encodes s: per day its settled runs and totals, then
// every unsettled visit with the state of each hit.
func appendSnapshot(dst []byte, s *State) []byte {
	days := s.sortedDays()
	dst = binary.AppendUvarint(dst, uint64(len(days)))
	for _, k := range days {
		ds := s.days[k]
		dst = binary.AppendUvarint(dst, k)
		dst = binary.AppendUvarint(dst, uint64(ds.visits))
		dst = binary.AppendUvarint(dst, uint64(ds.hits))
		runs := ds.runs()
		dst = binary.AppendUvarint(dst, uint64(len(runs)))
		var end uint64
		for _, r := range runs {
			dst = binary.AppendUvarint(dst, r[0]-end)
			dst = binary.AppendUvarint(dst, r[1]-r[0])
			end = r[1]
		}
	}
	visits := s.sortedVisits()
	dst = binary.AppendUvarint(dst, uint64(len(visits)))
	var prev uint64
	for _, v := range visits {
		hs := s.visits[v]
		dst = binary.AppendUvarint(dst, v-prev)
		prev = v
		dst = binary.AppendUvarint(dst, uint64(len(hs)))
		for _, o := range hs {
			dst = append(dst, byte(o))
		}
	}
	return dst
}

// maxDayBits bounds the settled offsets of one day in a snapshot, so that
// a corrupt run cannot allocate without end: 134 million visits a day, a
// 16 MiB bitmap.
const maxDayBits = 1 << 27

// readSnapshot decodes a 'C' payload into a fresh state with header h.
func readSnapshot(h Header, data []byte) (*State, error) {
	s := NewState(h)
	d := decoder{data: data}
	ndays := d.uvarint()
	for i := uint64(0); i < ndays && d.err == nil; i++ {
		k := d.uvarint()
		ds := &dayState{visits: int64(d.small(maxDayBits, "visits")), hits: d.varintHits()}
		nruns := d.uvarint()
		var end uint64
		var count int64
		for r := uint64(0); r < nruns && d.err == nil; r++ {
			start := end + d.uvarint()
			n := d.uvarint()
			if d.err != nil {
				break
			}
			if start < end || n == 0 || start+n > maxDayBits || start+n < start {
				return nil, fmt.Errorf("settled run %d..%d of day %d is out of order or out of range", start, start+n, k)
			}
			ds.setRange(start, start+n)
			count += int64(n)
			end = start + n
		}
		if d.err == nil && count != ds.visits {
			return nil, fmt.Errorf("day %d counts %d settled visits, its runs %d", k, ds.visits, count)
		}
		if _, dup := s.days[k]; dup {
			return nil, fmt.Errorf("day %d twice", k)
		}
		s.days[k] = ds
	}
	nvisits := d.uvarint()
	var prev uint64
	for i := uint64(0); i < nvisits && d.err == nil; i++ {
		v := prev + d.uvarint()
		if i > 0 && v <= prev {
			return nil, fmt.Errorf("visit %d is out of order", v)
		}
		prev = v
		n := d.small(maxHits, "hits")
		if d.err != nil {
			break
		}
		if n == 0 || len(d.data) < n {
			return nil, fmt.Errorf("visit %d: %d hits", v, n)
		}
		hs := make([]Outcome, n)
		for j := range hs {
			hs[j] = Outcome(d.data[j])
			if hs[j] >= maxOutcome {
				return nil, fmt.Errorf("visit %d hit %d: unknown state %d", v, j, hs[j])
			}
		}
		d.data = d.data[n:]
		if s.Settled(v) {
			return nil, fmt.Errorf("visit %d is settled and listed", v)
		}
		s.visits[v] = hs
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.data) > 0 {
		return nil, fmt.Errorf("%d bytes after the snapshot", len(d.data))
	}
	return s, nil
}

// varintHits reads a day's hit total (at most maxHits per settled visit).
func (d *decoder) varintHits() int64 {
	v := d.uvarint()
	if d.err == nil && v > maxDayBits*maxHits {
		d.err = fmt.Errorf("hits %d out of range", v)
	}
	return int64(v)
}
