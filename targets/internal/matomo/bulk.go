package matomo

import (
	"encoding/json"
	"unicode/utf8"
)

// appendBulkBody appends {"requests":["?q1",...],"token_auth":"..."}.
// Hand-written so a bulk request costs no reflection; the token is written
// only at the top level.
func appendBulkBody(b []byte, queries []string, token string) []byte {
	b = append(b, `{"requests":[`...)
	for i, q := range queries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `"?`...)
		b = appendJSONStringBody(b, trimQuestion(q))
		b = append(b, '"')
	}
	b = append(b, ']')
	if token != "" {
		b = append(b, `,"token_auth":`...)
		b = appendJSONString(b, token)
	}
	return append(b, '}')
}

// appendJSONString appends s as a quoted JSON string.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONStringBody(b, s)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONStringBody escapes s for the inside of a JSON string. Invalid
// UTF-8 becomes U+FFFD, as encoding/json does, so the body always parses.
func appendJSONStringBody(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		// Hits are URL-encoded: eight bytes at a time, almost all of a
		// body is copied without a look at each byte.
		for i+8 <= len(s) && jsonPlain8(load8(s, i)) {
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// jsonPlain8 reports whether none of the eight bytes of x needs escaping
// in a JSON string: none is a control byte, '"', '\\' or non-ASCII. It uses
// the exact "has a byte below n" and "has a zero byte" word tests.
func jsonPlain8(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := func(x uint64, n uint64) uint64 { return (x - ones*n) & ^x & highs }
	zero := func(x uint64) uint64 { return (x - ones) & ^x & highs }
	return (x&highs | below(x, 0x20) | zero(x^(ones*'"')) | zero(x^(ones*'\\'))) == 0
}

// load8 is the eight bytes of s from i, the first the lowest.
func load8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

func trimQuestion(q string) string {
	if len(q) > 0 && q[0] == '?' {
		return q[1:]
	}
	return q
}

// bulkAnswer is Matomo's JSON answer to a bulk request.
type bulkAnswer struct {
	Status         string `json:"status"`
	Tracked        *int   `json:"tracked"`
	Invalid        *int   `json:"invalid"`
	InvalidIndices []int  `json:"invalid_indices"`
}

// parseBulkAnswer reads a bulk answer. ok is false when the body is not a
// usable answer (not JSON, no status, negative counts); the caller then
// falls back to the HTTP status alone.
func parseBulkAnswer(body []byte) (a bulkAnswer, ok bool) {
	if err := json.Unmarshal(body, &a); err != nil {
		return bulkAnswer{}, false
	}
	switch a.Status {
	case "success":
		if a.Tracked == nil || *a.Tracked < 0 || (a.Invalid != nil && *a.Invalid < 0) {
			return bulkAnswer{}, false
		}
	case "error":
	default:
		return bulkAnswer{}, false
	}
	return a, true
}

// splitBulk turns a successful answer into per-hit counts that add up to
// hits. Invalid hits are Rejected; hits Matomo did not account for at all
// (e.g. entries it dropped) are Rejected too, since they were not tracked.
func (a bulkAnswer) splitBulk(hits int) (ok, rejected int) {
	invalid := 0
	if a.Invalid != nil {
		invalid = *a.Invalid
	}
	if len(a.InvalidIndices) > invalid {
		invalid = len(a.InvalidIndices)
	}
	rejected = min(invalid, hits)
	ok = min(*a.Tracked, hits-rejected)
	return ok, hits - ok
}
