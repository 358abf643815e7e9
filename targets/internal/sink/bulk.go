package sink

import (
	"errors"
	"strings"
)

// A bulk body is read by this single-pass scanner rather than by
// encoding/json: it validates the JSON once, keeps every string that needs
// no unescaping as a substring of the body (no copy), and records entries
// as it goes. encoding/json would allocate a RawMessage per entry and the
// entries would still need a second parse.

type entryKind uint8

const (
	entryQuery        entryKind = iota // "?idsite=1&...": the query is src[a:b]
	entryQueryDecoded                  // the same with JSON escapes: the query is decoded[a]
	entryObject                        // {"idsite": 1, ...}: the parameters are kvs[a:b]
)

// bulkEntry is 16 bytes: a body made of the smallest entries costs a few
// times its own size while it is processed, never more. Entries without a
// query are only counted.
type bulkEntry struct {
	a, b  int32
	index int32 // position in "requests"
	kind  entryKind
}

// kv is one parameter of an object entry, already decoded.
type kv struct{ key, val string }

type bulkBody struct {
	src          string      // the body
	entries      []bulkEntry // tracked entries, in order
	decoded      []string    // queries that needed JSON unescaping
	kvs          []kv
	dropped      int
	count        int32 // entries in "requests", dropped ones included
	token        string
	hasToken     bool
	sendImage    string
	hasSendImage bool
}

func (b *bulkBody) reset(src string) {
	*b = bulkBody{src: src, entries: b.entries[:0], decoded: b.decoded[:0], kvs: b.kvs[:0]}
}

// query returns the query text of a query entry.
func (b *bulkBody) query(e bulkEntry) string {
	if e.kind == entryQueryDecoded {
		return b.decoded[e.a]
	}
	return b.src[e.a:e.b]
}

// add appends an entry, doubling the capacity when full: append's gentler
// growth for large slices would allocate several times the final size.
func (b *bulkBody) add(e bulkEntry) {
	if len(b.entries) == cap(b.entries) {
		grown := make([]bulkEntry, len(b.entries), max(64, 2*cap(b.entries)))
		copy(grown, b.entries)
		b.entries = grown
	}
	b.entries = append(b.entries, e)
}

func (b *bulkBody) addKV(p kv) {
	if len(b.kvs) == cap(b.kvs) {
		grown := make([]kv, len(b.kvs), max(64, 2*cap(b.kvs)))
		copy(grown, b.kvs)
		b.kvs = grown
	}
	b.kvs = append(b.kvs, p)
}

var (
	errNoRequests  = errors.New(`bulk body has no "requests" array`)
	errNotArray    = errors.New(`bulk "requests" is not an array`)
	errTooDeep     = errors.New("bulk body is nested too deeply")
	errBadJSON     = errors.New("bulk body is not valid JSON")
	errNotAnObject = errors.New("bulk body is not a JSON object")
)

// parseBulk reads a bulk body into b (reset first).
func parseBulk(s string, b *bulkBody) error {
	b.reset(s)
	sc := scanner{s: s}
	sc.ws()
	if !sc.eat('{') {
		return errNotAnObject
	}
	sawRequests := false
	sc.ws()
	if sc.eat('}') {
		return errNoRequests
	}
	err := sc.members(func(key string) error {
		switch key {
		case "requests":
			// A repeated key replaces the earlier value, as in PHP and Go.
			b.entries, b.decoded, b.kvs, b.dropped, b.count = b.entries[:0], b.decoded[:0], b.kvs[:0], 0, 0
			sawRequests = true
			return sc.requests(b)
		case "token_auth":
			v, isStr, err := sc.scalar(1)
			if err == nil {
				b.token, b.hasToken = v, isStr && v != ""
			}
			return err
		case "send_image":
			v, _, err := sc.scalar(1)
			if err == nil {
				b.sendImage, b.hasSendImage = v, true
			}
			return err
		}
		return sc.skip(1)
	})
	if err != nil {
		return err
	}
	sc.ws()
	if sc.i != len(sc.s) {
		return errBadJSON
	}
	if !sawRequests {
		return errNoRequests
	}
	return nil
}

func (sc *scanner) requests(b *bulkBody) error {
	if !sc.eat('[') {
		if err := sc.skip(1); err != nil {
			return err
		}
		return errNotArray
	}
	return sc.elements(func() error { return sc.entry(b) })
}

func (sc *scanner) entry(b *bulkBody) error {
	index := b.count
	b.count++
	switch sc.peek() {
	case '"':
		start := sc.i + 1
		s, err := sc.str()
		if err != nil {
			return err
		}
		from, to, ok := queryOf(s)
		switch {
		case !ok:
			b.dropped++
		case len(s) == sc.i-1-start: // no escapes: s is the body text itself
			b.add(bulkEntry{kind: entryQuery, a: int32(start + from), b: int32(start + to), index: index})
		default:
			b.decoded = append(b.decoded, s[from:to])
			b.add(bulkEntry{kind: entryQueryDecoded, a: int32(len(b.decoded) - 1), index: index})
		}
		return nil
	case '{':
		sc.i++
		from := len(b.kvs)
		err := sc.members(func(key string) error {
			val, present, err := sc.param()
			if err == nil && present {
				b.addKV(kv{key, val})
			}
			return err
		})
		if err != nil {
			return err
		}
		b.add(bulkEntry{kind: entryObject, a: int32(from), b: int32(len(b.kvs)), index: index})
		return nil
	default:
		if err := sc.skip(2); err != nil {
			return err
		}
		b.dropped++
		return nil
	}
}

// queryOf finds the query of a string entry, s[from:to]. Matomo reads it
// with parse_url(..., PHP_URL_QUERY), so "?a=1" and "matomo.php?a=1" both
// work, and an entry without a query is dropped (ok false).
func queryOf(s string) (from, to int, ok bool) {
	i := strings.IndexByte(s, '?')
	if i < 0 {
		return 0, 0, false
	}
	from, to = i+1, len(s)
	if j := strings.IndexByte(s[from:], '#'); j >= 0 {
		to = from + j
	}
	return from, to, to > from
}

// param reads the value of an object entry parameter as PHP would see it
// after json_decode: strings decoded, numbers as written, true as "1",
// false as "", null as absent, and arrays or objects as their JSON text
// (so ec_items may be given as a nested array).
func (sc *scanner) param() (val string, present bool, err error) {
	switch sc.peek() {
	case '{', '[':
		start := sc.i
		if err := sc.skip(2); err != nil {
			return "", false, err
		}
		return sc.s[start:sc.i], true, nil
	case 'n':
		return "", false, sc.lit("null")
	}
	v, _, err := sc.scalar(2)
	return v, true, err
}
